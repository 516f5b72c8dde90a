/**
 * Hand-entered assumptions of the corpus generator: facts about arXiv as a whole that the local
 * data cannot teach (the 200-line Kaggle sample is one month of 2007; the Hugging Face papers
 * carry no categories, licences or journal references). Every number here is an approximation
 * typed in from arXiv's public statistics pages and taxonomy, not measured; the learned part of
 * the model lives in model.ts. Keeping them apart makes it obvious which figures to distrust.
 */

/** Month as a fractional year: 2007-04 → 2007.25. */
export function yearOf(year: number, month: number): number {
	return year + (month - 1) / 12;
}

/**
 * New submissions per month, mid-year values (approximate, from arXiv's monthly submission
 * statistics). Between anchors the rate is interpolated log-linearly, which gives the roughly
 * exponential growth curve: ~1M papers by the end of 2014, ~2.4M by the end of 2023.
 */
export const MONTHLY_SUBMISSIONS: readonly (readonly [number, number])[] = [
	[1991, 60],
	[1992, 280],
	[1993, 580],
	[1994, 830],
	[1995, 1000],
	[1996, 1300],
	[1997, 1600],
	[1998, 2000],
	[1999, 2300],
	[2000, 2500],
	[2001, 2700],
	[2002, 3000],
	[2003, 3300],
	[2004, 3600],
	[2005, 3900],
	[2006, 4200],
	[2007, 4600],
	[2008, 4900],
	[2009, 5300],
	[2010, 5800],
	[2011, 6400],
	[2012, 7100],
	[2013, 7800],
	[2014, 8100],
	[2015, 8800],
	[2016, 9500],
	[2017, 10300],
	[2018, 11700],
	[2019, 13000],
	[2020, 15000],
	[2021, 15200],
	[2022, 15500],
	[2023, 17800],
	[2024, 21500],
	[2025, 24000],
	[2026, 26500]
];

/** First month of arXiv (hep-th/9108001). */
export const FIRST_MONTH = { year: 1991, month: 8 } as const;
/** First month of new-style identifiers (0704.0001). */
export const NEW_STYLE_FROM = { year: 2007, month: 4 } as const;
/** Default last month of the synthetic snapshot (the last full month before this work). */
export const DEFAULT_END = { year: 2026, month: 10 } as const;

/**
 * An archive: the part of an arXiv id before the slash in old-style ids, and the part of a
 * category before the dot. `from`/`to` bound the months it accepted submissions ("YYYY-MM").
 * Retired pre-1998 archives (alg-geom, chao-dyn, …) map to the category that replaced them;
 * their records carry both, as in the real file ("categories": "alg-geom math.AG").
 */
export interface ArchiveInfo {
	from: string;
	to?: string;
	/** For a retired archive: the current category it became. */
	becomes?: string;
	/** Which text model writes its titles and abstracts. */
	domain: 'cs' | 'phys';
}

/** arXiv archives, current and retired (start months approximate). */
export const ARCHIVES: Readonly<Record<string, ArchiveInfo>> = {
	'hep-th': { from: '1991-08', domain: 'phys' },
	'hep-lat': { from: '1992-02', domain: 'phys' },
	'hep-ph': { from: '1992-03', domain: 'phys' },
	'astro-ph': { from: '1992-04', domain: 'phys' },
	'cond-mat': { from: '1992-04', domain: 'phys' },
	'gr-qc': { from: '1992-07', domain: 'phys' },
	'nucl-th': { from: '1992-10', domain: 'phys' },
	'hep-ex': { from: '1994-04', domain: 'phys' },
	'quant-ph': { from: '1994-12', domain: 'phys' },
	'nucl-ex': { from: '1994-12', domain: 'phys' },
	physics: { from: '1996-10', domain: 'phys' },
	math: { from: '1998-01', domain: 'phys' },
	cs: { from: '1998-01', domain: 'cs' },
	'math-ph': { from: '1998-09', domain: 'phys' },
	nlin: { from: '2000-01', domain: 'phys' },
	'q-bio': { from: '2003-09', domain: 'phys' },
	stat: { from: '2007-04', domain: 'cs' },
	'q-fin': { from: '2008-12', domain: 'cs' },
	eess: { from: '2017-09', domain: 'cs' },
	econ: { from: '2017-09', domain: 'cs' },
	'alg-geom': { from: '1992-02', to: '1997-12', becomes: 'math.AG', domain: 'phys' },
	'funct-an': { from: '1992-06', to: '1997-12', becomes: 'math.FA', domain: 'phys' },
	'dg-ga': { from: '1994-06', to: '1997-12', becomes: 'math.DG', domain: 'phys' },
	'q-alg': { from: '1994-12', to: '1997-12', becomes: 'math.QA', domain: 'phys' },
	'chao-dyn': { from: '1993-01', to: '1999-12', becomes: 'nlin.CD', domain: 'phys' },
	'solv-int': { from: '1993-01', to: '1999-12', becomes: 'nlin.SI', domain: 'phys' },
	'patt-sol': { from: '1993-01', to: '1999-12', becomes: 'nlin.PS', domain: 'phys' },
	'adap-org': { from: '1993-01', to: '1999-12', becomes: 'nlin.AO', domain: 'phys' },
	'comp-gas': { from: '1993-01', to: '1999-12', becomes: 'nlin.CG', domain: 'phys' },
	'cmp-lg': { from: '1994-04', to: '1998-09', becomes: 'cs.CL', domain: 'cs' },
	'mtrl-th': { from: '1994-12', to: '1996-09', becomes: 'cond-mat.mtrl-sci', domain: 'phys' },
	'supr-con': { from: '1994-12', to: '1996-09', becomes: 'cond-mat.supr-con', domain: 'phys' },
	'chem-ph': { from: '1994-12', to: '1996-09', becomes: 'physics.chem-ph', domain: 'phys' },
	'atom-ph': { from: '1995-01', to: '1996-09', becomes: 'physics.atom-ph', domain: 'phys' },
	'plasm-ph': { from: '1995-01', to: '1996-09', becomes: 'physics.plasm-ph', domain: 'phys' },
	'ao-sci': { from: '1995-01', to: '1996-09', becomes: 'physics.ao-ph', domain: 'phys' },
	'acc-phys': { from: '1994-11', to: '1996-09', becomes: 'physics.acc-ph', domain: 'phys' },
	'bayes-an': { from: '1995-06', to: '1996-09', becomes: 'physics.data-an', domain: 'phys' }
};

/**
 * Share of new submissions per primary archive in the mid-1990s (approximate). The 2007 point
 * of the curve is learned from the Kaggle sample; see model.ts.
 */
export const ARCHIVE_MIX_1995: Readonly<Record<string, number>> = {
	'hep-th': 20,
	'hep-ph': 20,
	'cond-mat': 22,
	'astro-ph': 16,
	'gr-qc': 4,
	'hep-lat': 3,
	'nucl-th': 3,
	'hep-ex': 1,
	'quant-ph': 2,
	'nucl-ex': 0.5,
	'alg-geom': 2,
	'funct-an': 1,
	'q-alg': 1,
	'dg-ga': 0.5,
	'chao-dyn': 1.5,
	'solv-int': 1,
	'patt-sol': 0.5,
	'adap-org': 0.3,
	'comp-gas': 0.2,
	'cmp-lg': 0.5,
	'mtrl-th': 0.5,
	'supr-con': 0.5,
	'chem-ph': 0.5,
	'atom-ph': 0.3,
	'plasm-ph': 0.3,
	'ao-sci': 0.1,
	'acc-phys': 0.2,
	'bayes-an': 0.1,
	// Archives that open later (math, cs, physics, …) get their share once they exist.
	physics: 4,
	math: 10,
	cs: 3,
	'math-ph': 1,
	nlin: 1
};

/** Share of new submissions per primary archive around 2024 (approximate, arXiv statistics). */
export const ARCHIVE_MIX_2024: Readonly<Record<string, number>> = {
	cs: 41,
	math: 17.4,
	'cond-mat': 7.6,
	physics: 6.7,
	'astro-ph': 6,
	eess: 4.9,
	'quant-ph': 4.4,
	'hep-ph': 2.8,
	stat: 2.4,
	'hep-th': 2.3,
	'gr-qc': 1.5,
	'q-bio': 1.1,
	'hep-ex': 0.8,
	'math-ph': 0.7,
	'nucl-th': 0.7,
	econ: 0.6,
	'q-fin': 0.5,
	nlin: 0.4,
	'hep-lat': 0.3,
	'nucl-ex': 0.3
};

/**
 * Subject classes per archive with rough relative popularity (approximate). Archives absent
 * here have no subject classes (the category is the archive name). `from` delays a class.
 */
export const SUBJECT_CLASSES: Readonly<
	Record<string, readonly (readonly [string, number, string?])[]>
> = {
	cs: [
		['CV', 20],
		['LG', 18],
		['CL', 14],
		['AI', 8],
		['RO', 5],
		['CR', 4],
		['IR', 3],
		['SE', 3],
		['HC', 3],
		['DC', 2.5],
		['IT', 2.5],
		['NI', 2],
		['DS', 2],
		['SY', 2],
		['CY', 2],
		['LO', 1.5],
		['NE', 1.5],
		['SI', 1.5],
		['GT', 1],
		['DB', 1],
		['MA', 1],
		['SD', 1],
		['PL', 1],
		['GR', 1],
		['MM', 0.8],
		['NA', 0.8],
		['CC', 0.8],
		['CE', 0.6],
		['CG', 0.6],
		['DM', 0.6],
		['AR', 0.6],
		['FL', 0.4],
		['DL', 0.4],
		['ET', 0.4],
		['MS', 0.3],
		['PF', 0.3],
		['SC', 0.3],
		['OS', 0.2],
		['OH', 0.2],
		['GL', 0.05]
	],
	math: [
		['AP', 10],
		['PR', 8],
		['CO', 8],
		['OC', 7],
		['AG', 7],
		['NT', 6],
		['NA', 6],
		['DG', 5],
		['DS', 4],
		['FA', 4],
		['RT', 3],
		['GT', 3],
		['GR', 3],
		['CA', 3],
		['ST', 3],
		['IT', 3],
		['AT', 2],
		['RA', 2],
		['QA', 2],
		['OA', 2],
		['CV', 2],
		['AC', 2],
		['LO', 2],
		['SG', 1.5],
		['MG', 1],
		['CT', 1],
		['SP', 1],
		['KT', 0.8],
		['GM', 0.7],
		['GN', 0.7],
		['HO', 0.5]
	],
	'cond-mat': [
		['mtrl-sci', 22],
		['mes-hall', 20],
		['str-el', 15],
		['stat-mech', 12],
		['soft', 10],
		['supr-con', 7],
		['quant-gas', 6, '2008-06'],
		['dis-nn', 4],
		['other', 3]
	],
	physics: [
		['optics', 18],
		['flu-dyn', 12],
		['app-ph', 10, '2017-01'],
		['chem-ph', 7],
		['comp-ph', 6],
		['atom-ph', 6],
		['plasm-ph', 6],
		['ins-det', 6],
		['soc-ph', 5],
		['bio-ph', 4],
		['geo-ph', 3],
		['ao-ph', 3],
		['med-ph', 3],
		['acc-ph', 3],
		['gen-ph', 3],
		['class-ph', 2],
		['data-an', 2],
		['space-ph', 2],
		['ed-ph', 1],
		['hist-ph', 1],
		['pop-ph', 1],
		['atm-clus', 1]
	],
	// astro-ph had no subject classes before 2009; the generator writes plain "astro-ph" then.
	'astro-ph': [
		['GA', 28],
		['CO', 20],
		['SR', 20],
		['HE', 16],
		['EP', 9],
		['IM', 7]
	],
	stat: [
		['ML', 35],
		['ME', 28],
		['AP', 18],
		['TH', 10],
		['CO', 8],
		['OT', 1]
	],
	eess: [
		['SP', 35],
		['IV', 25],
		['SY', 25],
		['AS', 15]
	],
	econ: [
		['EM', 40],
		['GN', 40],
		['TH', 20]
	],
	'q-bio': [
		['NC', 20],
		['PE', 18],
		['QM', 18],
		['BM', 12],
		['MN', 10],
		['GN', 8],
		['CB', 5],
		['TO', 5],
		['SC', 2],
		['OT', 2]
	],
	'q-fin': [
		['ST', 15],
		['MF', 15],
		['CP', 12],
		['RM', 12],
		['PM', 12],
		['TR', 12],
		['GN', 10],
		['PR', 8],
		['EC', 4]
	],
	nlin: [
		['CD', 30],
		['PS', 25],
		['SI', 25],
		['AO', 15],
		['CG', 5]
	]
};

/** astro-ph subject classes start here; earlier astro-ph papers carry the bare archive. */
export const ASTRO_PH_CLASSES_FROM = 2009;

/**
 * Categories that are the same subject under two names: arXiv lists both whenever one is used
 * (cs.IT ↔ math.IT, math-ph ↔ math.MP, …). `from` is when the alias appeared.
 */
export const CATEGORY_ALIASES: readonly (readonly [string, string, number])[] = [
	['cs.IT', 'math.IT', 1998],
	['math-ph', 'math.MP', 1998],
	['math.ST', 'stat.TH', 2007],
	['cs.SY', 'eess.SY', 2019],
	['cs.NA', 'math.NA', 2019],
	['q-fin.EC', 'econ.GN', 2019]
];

/**
 * Archives a paper is commonly cross-listed to, by primary archive (rough weights). Added to
 * the cross-list pairs counted in the Kaggle sample.
 */
export const CROSS_LIST_NEIGHBOURS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
	cs: { stat: 3, eess: 2, math: 2, 'q-bio': 0.5, physics: 0.5, 'quant-ph': 0.3 },
	stat: { cs: 4, math: 2, 'q-bio': 0.5, econ: 0.3 },
	eess: { cs: 5, math: 1 },
	econ: { 'q-fin': 2, stat: 1, cs: 1 },
	'q-fin': { econ: 1, math: 1, stat: 1, cs: 1 },
	math: { cs: 2, 'math-ph': 1, stat: 1, physics: 0.5 },
	'math-ph': { math: 2, 'hep-th': 2, 'quant-ph': 1, 'cond-mat': 1 },
	'cond-mat': { physics: 2, 'quant-ph': 1.5, 'hep-th': 0.5 },
	physics: { 'cond-mat': 2, cs: 1, 'astro-ph': 0.5, 'quant-ph': 1 },
	'astro-ph': { 'gr-qc': 2, 'hep-ph': 2, physics: 0.5 },
	'hep-ph': { 'hep-ex': 2, 'hep-th': 2, 'astro-ph': 1.5, 'nucl-th': 1, 'hep-lat': 0.5 },
	'hep-th': { 'gr-qc': 2, 'hep-ph': 2, 'math-ph': 1, 'cond-mat': 0.5 },
	'hep-ex': { 'hep-ph': 3, physics: 1 },
	'hep-lat': { 'hep-ph': 2, 'hep-th': 1, 'nucl-th': 0.5 },
	'gr-qc': { 'hep-th': 2, 'astro-ph': 2, 'math-ph': 0.5 },
	'quant-ph': { 'cond-mat': 2, physics: 1, cs: 0.5, 'math-ph': 0.5 },
	'nucl-th': { 'hep-ph': 2, 'nucl-ex': 2, 'astro-ph': 0.5 },
	'nucl-ex': { 'nucl-th': 3, 'hep-ex': 1 },
	nlin: { 'cond-mat': 1.5, physics: 1, math: 1 },
	'q-bio': { physics: 1, cs: 1, stat: 0.5 }
};

/**
 * Field presence around 2024 (approximate). The 2007 values are learned from the Kaggle
 * sample; between 2007 and 2024 the generator interpolates linearly.
 */
export const MODERN_PRESENCE = {
	comments: 0.8,
	journalRef: 0.12,
	reportNo: 0.03,
	/** Share of papers whose author list carries "(affiliation)" after names. */
	affiliations: 0.03,
	/** Share of cs-like comments that carry a code or project URL. */
	commentUrl: 0.15
} as const;

/**
 * Licence distribution for new papers after ~2009 (approximate). Before 2007-04 the sample's
 * mix applies (mostly null); the switch takes ~2 years. CC 3.0 URLs are used before 2016.
 */
export const MODERN_LICENSES: readonly (readonly [string, number])[] = [
	['http://arxiv.org/licenses/nonexclusive-distrib/1.0/', 72],
	['http://creativecommons.org/licenses/by/4.0/', 18],
	['http://creativecommons.org/licenses/by-nc-nd/4.0/', 2.5],
	['http://creativecommons.org/licenses/by-nc-sa/4.0/', 3],
	['http://creativecommons.org/licenses/by-sa/4.0/', 2],
	['http://creativecommons.org/publicdomain/zero/1.0/', 1.5],
	['', 1]
];

/** Year the licence mix reaches its modern shape. */
export const LICENSE_SWITCH_DONE = 2009;

/** Venues named in modern cs-like comments ("Accepted to NeurIPS 2024"). */
export const VENUES: readonly string[] = [
	'NeurIPS',
	'ICLR',
	'ICML',
	'CVPR',
	'ICCV',
	'ECCV',
	'ACL',
	'EMNLP',
	'NAACL',
	'AAAI',
	'IJCAI',
	'KDD',
	'WWW',
	'SIGIR',
	'ICRA',
	'IROS',
	'INTERSPEECH',
	'ICASSP',
	'MICCAI',
	'COLM'
];

/**
 * Size of the author universe: the number of distinct people the generator can name. Fixed,
 * not scaled with the corpus, so a 100k corpus behaves like a random 100k-paper slice of arXiv
 * (few repeated authors) and 2.7M like the whole (prolific authors on hundreds of papers).
 */
export const AUTHOR_UNIVERSE = 2_500_000;
/** Power-law exponent over author ranks (0 = uniform); 0.35 puts ~800 papers on the top name. */
export const AUTHOR_ZIPF = 0.35;

/**
 * Rare-word tail. Left alone, a bigram model never says a word it was not trained on, so the
 * vocabulary would stop at the ~60k words of the training text while real arXiv keeps coining
 * terms (Heaps' law: the HF abstracts grow as words^0.48). So, per eligible content word, with
 * RARE_WORD_RATE the word is replaced by one from an unbounded synthetic vocabulary whose ranks
 * continue the real one's Zipf tail: rank = FIRST_RANK · u^(-1/ALPHA), i.e. frequency ∝
 * rank^-(1 + ALPHA). Simulated, this adds ~3.5k distinct words per 2,000 papers, ~75k per 100k
 * and ~520k per 2.7M (≈ 1% of all tokens are such words).
 */
export const RARE_WORD_RATE = 0.025;
export const RARE_WORD_FIRST_RANK = 10_000;
export const RARE_WORD_ALPHA = 0.8;

/**
 * Term repetition: after a function word ("the", "of", …) the abstract writer reuses one of the
 * content words it already wrote with this probability, instead of following the bigram. Real
 * abstracts repeat their key terms (the most frequent content word of an HF abstract occurs ~6
 * times); a bare bigram walk drifts from topic to topic and repeats too little, which would make
 * term frequencies — and BM25 scores — unrealistically flat.
 */
export const TOPIC_REUSE_RATE = 0.3;

/** Function words a title should not end on, and that are never swapped for rare words. */
export const STOPWORDS: ReadonlySet<string> = new Set(
	(
		'a an the of in on for to with from by via and or at as into over under between through ' +
		'towards toward using based its their our we is are be this that these those than not ' +
		'which while when where how what why can do does without within across about beyond'
	).split(' ')
);
