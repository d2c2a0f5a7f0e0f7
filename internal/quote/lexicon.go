package quote

import "strings"

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// speechVerbs are the verbs that present words as someone's, in the
// forms news text uses them.
var speechVerbs = set(`say says said saying tell tells told telling add adds added adding
write writes wrote writing insist insists insisted insisting warn warns warned warning
acknowledge acknowledges acknowledged tweet tweets tweeted explain explains explained explaining
claim claims claimed claiming promise promises promised accuse accuses accused accusing
describe describes described describing recall recalls recalled recalling stress stresses stressed
argue argues argued arguing admit admits admitted admitting declare declares declared
announce announces announced note notes noted ask asks asked asking reply replies replied
comment comments commented suggest suggests suggested urge urges urged liken likens likened
apologise apologises apologised apologize apologizes apologized concede concedes conceded
continue continues continued maintain maintains maintained remark remarks remarked
reveal reveals revealed predict predicts predicted confirm confirms confirmed deny denies denied
call calls called calling brand brands branded state states stated
answer answers answered shout shouts shouted joke jokes joked quip quips quipped
boast boasts boasted complain complains complained vow vows vowed pledge pledges pledged
assert asserts asserted reiterate reiterates reiterated observe observes observed
agree agrees agreed hail hails hailed praise praises praised condemn condemns condemned
criticise criticises criticised criticize criticized announce explained responded respond responds
predicted recalled wrote posted cautioned caution cautions`)

// tellVerbs take a listener that belongs to the cue: told the BBC.
var tellVerbs = set(`tell tells told telling`)

// auxiliaries may stand before the verb and are part of the cue.
var auxiliaries = set(`has have had will would could should may might can was is`)

// adverbs may stand between subject and verb and are not.
var adverbs = set(`also later then again further previously earlier recently once yesterday today simply just repeatedly`)

// passives before a speech verb mean nobody is presented as speaking.
var passives = set(`is was were been be being are`)

// channels after the verb belong to the cue: said in a statement.
var channels = set(`statement interview letter speech blog email e-mail message note press conference
broadcast post tweet column article radio television tv website twitter facebook instagram
newspaper documentary podcast video programme program`)

// honorifics before a name; their gender helps pronouns find it.
var honorifics = map[string]byte{"mr": 'm', "mrs": 'f', "ms": 'f', "miss": 'f', "sir": 'm', "dame": 'f',
	"dr": 0, "prof": 0, "professor": 0, "lord": 'm', "lady": 'f', "rev": 0, "mx": 0}

// peerages are kept in the name when they are all the text gives.
var peerages = set(`lord lady`)

// orgNouns head descriptions of organisations: the ministry said.
var orgNouns = set(`ministry government department company firm group bank office council commission
agency authority authorities police union party club association organisation organization
board committee corporation federation league body institute foundation charity spokesman
spokeswoman spokesperson spokespeople statement regulator watchdog airline carrier maker giant
retailer operator broadcaster network team side court embassy administration cabinet parliament`)

// speakerWords stop a listener or subject phrase.
var subjectPronouns = map[string]byte{"he": 'm', "she": 'f'}

var otherPronouns = set(`i we they you it this that these those`)

// stops end a listener phrase after a tell verb.
var stops = set(`that he she they it we i on after before when while as last this yesterday today earlier in at
of if how why what whether about`)

// conjunctions and subordinators end a subject phrase.
var conjunctions = set(`and but or so yet nor`)

var subordinators = set(`when while as that because after before if since although though unless whereas where whom`)

// clauseBreaks between a verb and a short quote mean the quote is not
// what the verb reports: as reports suggested after being "…".
var clauseBreaks = set(`after before because since although though despite unless`)

// prepositions before a mention make it an object, not a subject.
var prepositions = set(`by with to of from for against about at on in into alongside than between including like`)

// genderNouns in an apposition tell a person's gender.
var genderNouns = map[string]byte{"wife": 'f', "sister": 'f', "daughter": 'f', "mother": 'f', "woman": 'f',
	"actress": 'f', "chairwoman": 'f', "spokeswoman": 'f', "girlfriend": 'f', "widow": 'f', "grandmother": 'f',
	"husband": 'm', "brother": 'm', "son": 'm', "father": 'm', "man": 'm', "actor": 'm', "chairman": 'm',
	"spokesman": 'm', "boyfriend": 'm', "widower": 'm', "grandfather": 'm'}

// relatives open a relative clause after a comma.
var relatives = set(`who which whose whom`)

// opinionVerbs report thought, not words: no cue, but whoever they
// follow is likely the next speaker.
var opinionVerbs = set(`believes believed thinks thought feels felt hinted hints hopes hoped expects expected
fears feared wants wanted reckons reckoned`)

// subjectStarts may begin the subject of "…," X said besides a name.
var subjectStarts = set(`the a an his her its their he she they it we i one another`)
