//go:build !purego

#include "textflag.h"

// LOAD_ROW puts the row at DI in X0-X3, four lanes each, and tests the
// count of rows in CX.
#define LOAD_ROW \
	MOVUPS 0(DI), X0 \
	MOVUPS 16(DI), X1 \
	MOVUPS 32(DI), X2 \
	MOVUPS 48(DI), X3 \
	TESTQ  CX, CX

// ADD_NEXT_ROW adds to X0-X3 the row that SI points at, steps SI to the
// next pointer and counts CX down.
#define ADD_NEXT_ROW \
	MOVQ   (SI), DX \
	MOVUPS 0(DX), X5 \
	ADDPS  X5, X0 \
	MOVUPS 16(DX), X6 \
	ADDPS  X6, X1 \
	MOVUPS 32(DX), X7 \
	ADDPS  X7, X2 \
	MOVUPS 48(DX), X8 \
	ADDPS  X8, X3 \
	ADDQ   $8, SI \
	DECQ   CX

// func addRows(sc *[16]float32, rows []*[16]float32)
// Adds each row to sc, four lanes at a time: sc stays in registers while
// the rows stream by.
TEXT ·addRows(SB), NOSPLIT, $0-32
	MOVQ   sc+0(FP), DI
	MOVQ   rows_base+8(FP), SI
	MOVQ   rows_len+16(FP), CX
	LOAD_ROW
	JEQ    done

loop:
	ADD_NEXT_ROW
	JNE    loop

done:
	MOVUPS X0, 0(DI)
	MOVUPS X1, 16(DI)
	MOVUPS X2, 32(DI)
	MOVUPS X3, 48(DI)
	RET

// Bit 1<<k of lane k, for the lane masks of sumBest.
DATA laneBits<>+0(SB)/4, $1
DATA laneBits<>+4(SB)/4, $2
DATA laneBits<>+8(SB)/4, $4
DATA laneBits<>+12(SB)/4, $8
DATA laneBits<>+16(SB)/4, $16
DATA laneBits<>+20(SB)/4, $32
DATA laneBits<>+24(SB)/4, $64
DATA laneBits<>+28(SB)/4, $128
DATA laneBits<>+32(SB)/4, $256
DATA laneBits<>+36(SB)/4, $512
DATA laneBits<>+40(SB)/4, $1024
DATA laneBits<>+44(SB)/4, $2048
DATA laneBits<>+48(SB)/4, $4096
DATA laneBits<>+52(SB)/4, $8192
DATA laneBits<>+56(SB)/4, $16384
DATA laneBits<>+60(SB)/4, $32768
GLOBL laneBits<>(SB), RODATA|NOPTR, $64

DATA negInf<>+0(SB)/4, $0xff800000
DATA negInf<>+4(SB)/4, $0xff800000
DATA negInf<>+8(SB)/4, $0xff800000
DATA negInf<>+12(SB)/4, $0xff800000
GLOBL negInf<>(SB), RODATA|NOPTR, $16

// maskLane sets lane register R to -Inf where the bit of allowed (X4) in
// LB is clear; X5 is scratch.
#define maskLane(LB, R) \
	MOVOU LB, X5 \
	PAND  X4, X5 \
	PCMPEQL LB, X5 \
	PAND  X5, R \
	PANDN X6, X5 \
	POR   X5, R

// func sumBest(base *[16]float32, rows []*[16]float32, allowed uint32) int
// Returns the class with the highest score base + rows, among the classes
// whose bit is set in allowed, the lowest on ties; class 0 scores 0 and
// class c the lane c-1. This is the step of the greedy decoder from one
// token to the next, so it is kept free of branches that depend on the
// scores.
TEXT ·sumBest(SB), NOSPLIT, $0-48
	MOVQ   base+0(FP), DI
	MOVQ   rows_base+8(FP), SI
	MOVQ   rows_len+16(FP), CX
	LOAD_ROW
	JEQ    choose

add:
	ADD_NEXT_ROW
	JNE    add

choose:
	MOVL   allowed+32(FP), AX
	MOVL   AX, BX
	SHRL   $1, BX
	MOVL   BX, X4
	PSHUFD $0, X4, X4
	MOVOU  negInf<>(SB), X6
	maskLane(laneBits<>+0(SB), X0)
	maskLane(laneBits<>+16(SB), X1)
	maskLane(laneBits<>+32(SB), X2)
	maskLane(laneBits<>+48(SB), X3)
	MOVAPS X0, X7
	MAXPS  X1, X7
	MOVAPS X2, X8
	MAXPS  X3, X8
	MAXPS  X8, X7
	PSHUFD $0x4e, X7, X8
	MAXPS  X8, X7
	PSHUFD $0xb1, X7, X8
	MAXPS  X8, X7
	// Class 0 wins if allowed and no other scores above 0.
	TESTL  $1, AX
	JEQ    lanes
	XORPS  X9, X9
	UCOMISS X7, X9
	JCS    lanes
	MOVQ   $0, ret+40(FP)
	RET

lanes:
	CMPPS  X7, X0, $0
	CMPPS  X7, X1, $0
	CMPPS  X7, X2, $0
	CMPPS  X7, X3, $0
	MOVMSKPS X0, AX
	MOVMSKPS X1, BX
	SHLL   $4, BX
	ORL    BX, AX
	MOVMSKPS X2, BX
	SHLL   $8, BX
	ORL    BX, AX
	MOVMSKPS X3, BX
	SHLL   $12, BX
	ORL    BX, AX
	BSFL   AX, AX
	INCL   AX
	MOVQ   AX, ret+40(FP)
	RET

// func prefetchWords(words []*cachedWord, from, to uintptr)
// Prefetches the bytes [from, to) of each word, a cache line at a time.
TEXT ·prefetchWords(SB), NOSPLIT, $0-40
	MOVQ words_base+0(FP), SI
	MOVQ words_len+8(FP), CX
	MOVQ from+24(FP), R8
	MOVQ to+32(FP), R9
	TESTQ CX, CX
	JEQ pdone
ploop:
	MOVQ (SI), DX
	MOVQ R8, AX
pline:
	PREFETCHT0 (DX)(AX*1)
	ADDQ $64, AX
	CMPQ AX, R9
	JLT pline
	ADDQ $8, SI
	DECQ CX
	JNE ploop
pdone:
	RET

// func prefetchLine(p unsafe.Pointer)
TEXT ·prefetchLine(SB), NOSPLIT, $0-8
	MOVQ       p+0(FP), AX
	PREFETCHT0 (AX)
	RET
