//go:build !purego

#include "textflag.h"

// func addRows(sc *[16]float32, rows []*[16]float32)
// Adds each row to sc, four lanes at a time: sc stays in registers while
// the rows stream by.
TEXT ·addRows(SB), NOSPLIT, $0-32
	MOVQ   sc+0(FP), DI
	MOVQ   rows_base+8(FP), SI
	MOVQ   rows_len+16(FP), CX
	MOVUPS 0(DI), X0
	MOVUPS 16(DI), X1
	MOVUPS 32(DI), X2
	MOVUPS 48(DI), X3
	TESTQ  CX, CX
	JEQ    done

loop:
	MOVQ   (SI), DX
	MOVUPS 0(DX), X5
	ADDPS  X5, X0
	MOVUPS 16(DX), X6
	ADDPS  X6, X1
	MOVUPS 32(DX), X7
	ADDPS  X7, X2
	MOVUPS 48(DX), X8
	ADDPS  X8, X3
	ADDQ   $8, SI
	DECQ   CX
	JNE    loop

done:
	MOVUPS X0, 0(DI)
	MOVUPS X1, 16(DI)
	MOVUPS X2, 32(DI)
	MOVUPS X3, 48(DI)
	RET
