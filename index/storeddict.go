package index

// storedDict primes the compressor of stored articles and quote records
// (stored.go): deflate can then point back into it from the first byte of
// a record, where alone it must spell out every word once per record. A
// news article is short, so most of its words are first occurrences; with
// this text in front of each one, Reuters' articles deflate to 52% of
// their JSON instead of 58%.
//
// Deflate finds matches up to 32 KiB back and codes near ones in fewer
// bits, so the text is ordered from the least to the most frequent: first
// phrasing common in news reports, then the words of business and
// political news, and last the keys and values of the records themselves.
// It is part of the schema: an article compressed with one dictionary
// cannot be read with another, so changing it changes schemaVersion.
const storedDict = `` +
	`The ministry said in a statement on Monday that the talks would resume next week. ` +
	`Officials told reporters on Tuesday that the agreement had been reached after months of negotiations. ` +
	`A spokesman for the company declined to comment on the report, which was published on Wednesday. ` +
	`The government is expected to announce the measures on Thursday, according to people familiar with the plan. ` +
	`Police said on Friday that an investigation was under way and that no one had been arrested. ` +
	`The court ruled on Saturday that the law did not apply. The president and the prime minister met on Sunday. ` +
	`In January, February, March, April, May, June, July, August, September, October, November and December. ` +
	`The central bank raised interest rates by a quarter of a percentage point, the first increase this year. ` +
	`Analysts had expected a smaller rise in inflation, and shares fell sharply in early trading in London and New York. ` +
	`Net profit for the first quarter rose to 1.2 billion dollars from 950 million dollars a year earlier. ` +
	`Revenue for the second quarter was lower than forecast, while sales in the third and fourth quarters increased. ` +
	`The board approved the acquisition of the unit for an undisclosed amount, subject to regulatory approval. ` +
	`The group said its earnings per share would be in line with expectations for the full year. ` +
	`Oil prices were unchanged at about 80 dollars a barrel, and the dollar was steady against the yen and the euro. ` +
	`Exports and imports, trade deficit, budget, tax, debt, bonds, stocks, market, economy, growth, output, ` +
	`production, prices, wages, jobs, unemployment, industry, farmers, wheat, corn, sugar, coffee, gold, gas, ` +
	`minister, government, parliament, election, opposition, party, leader, president, official, agency, ` +
	`council, committee, federal, national, international, foreign, security, military, forces, defence, ` +
	`Inc, Corp, Co, Ltd, Group, Holdings, Bank, Association, University, United States, European Union, ` +
	`percent, pct, mln, billion, million, dlrs, cts, shr, net, revs, vs, year, years, week, month, ` +
	`would, could, should, will, has, have, had, was, were, been, being, which, that, this, these, those, ` +
	`their, there, than, then, about, after, before, between, under, over, against, during, including, ` +
	`"We are very pleased with the result," he said. "It is too early to say," she told reporters. ` +
	`the company said. the government said. a spokesman said. it said. he said. she said. they said. ` +
	// The quote records of the quote index (quoteRecord).
	`{"o":[{"a":"","t":"","u":"https://","d":"T00:00:00Z","g":[""],"x":"","s":"","k":"person","c":"said","b":0,"e":0,"h":true}]}` +
	`"k":"org","k":"unknown","c":"told reporters","c":"according to",` +
	// The stored articles (storedArticle), key by key in the order they
	// are written; the entity types and quote routes come last.
	`,"u":"https://www.","a":"By ","l":", ","g":["","s":"","c":"` +
	`"q":[{"s":"","k":"person","c":"said","r":"explicit","b":,"e":},{"r":"pronoun","r":"continuation","r":"title","r":"organisation"` +
	`{"t":"MISC","n":"","m":[]},{"t":"LOC","n":"","m":[]},{"t":"PER","n":"","m":[]},{"t":"ORG","n":"","m":[` +
	`{"t":"","b":"","d":"T00:00:00Z","e":[{"t":"ORG","n":"`
