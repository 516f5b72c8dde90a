/** What every importer reports: counts, and each skipped record with where and why. */

export interface ImportProblem {
	/** The file, URL or line the record came from. */
	source: string;
	/** Position of the record within its source (0-based), when it has one. */
	record: number | null;
	/** The record's id when it could be read. */
	id: string | null;
	reason: string;
}

export interface ImportSummary {
	sources: number;
	records: number;
	inserted: number;
	updated: number;
	unchanged: number;
	picksAdded: number;
	skipped: number;
	problems: ImportProblem[];
}

/** An empty summary to add to. */
export function emptySummary(): ImportSummary {
	return {
		sources: 0,
		records: 0,
		inserted: 0,
		updated: 0,
		unchanged: 0,
		picksAdded: 0,
		skipped: 0,
		problems: []
	};
}

/** One line per problem, as the CLI prints them. */
export function formatProblem(p: ImportProblem): string {
	const where = p.record === null ? p.source : `${p.source} record ${p.record}`;
	return `${where}${p.id ? ` (${p.id})` : ''}: ${p.reason}`;
}

/** Progress callbacks an importer calls; the CLI draws a bar from them. */
export interface ImportProgress {
	start?(total: number, unit: string): void;
	advance?(done: number, info: { records: number }): void;
	problem?(problem: ImportProblem): void;
	stop?(): void;
}
