/**
 * What a save changes, decided the same way by both paper writers: each
 * incoming record merged into its stored version, and only real changes kept.
 */
import { mergePaper, samePaper } from '$lib/core/paper-merge';
import type { PaperRecord } from '$lib/core/paper';
import type { SaveResult } from './paper.writer';

/** A paper to write at change-feed position `seq`. */
export interface PaperWrite {
	paper: PaperRecord;
	seq: number;
	isNew: boolean;
}

export interface ChangePlan {
	changed: { paper: PaperRecord; isNew: boolean }[];
	unchanged: number;
}

/** Merges each incoming record into its stored version; keeps only real changes. */
export function planChanges(
	existing: Map<string, PaperRecord>,
	incoming: Map<string, PaperRecord>
): ChangePlan {
	const plan: ChangePlan = { changed: [], unchanged: 0 };
	for (const record of incoming.values()) {
		const stored = existing.get(record.id);
		const merged = mergePaper(stored, record);
		if (stored && samePaper(stored, merged)) plan.unchanged += 1;
		else plan.changed.push({ paper: merged, isNew: !stored });
	}
	return plan;
}

/** Consecutive change-feed positions from `first`, in batch order. */
export function withSeq(changed: ChangePlan['changed'], first: number): PaperWrite[] {
	return changed.map((change, i) => ({ ...change, seq: first + i }));
}

/** The counts a save reports for a plan. */
export function resultOf(plan: ChangePlan, picksAdded: number): SaveResult {
	const inserted = plan.changed.filter((c) => c.isNew).length;
	return {
		inserted,
		updated: plan.changed.length - inserted,
		unchanged: plan.unchanged,
		picksAdded
	};
}
