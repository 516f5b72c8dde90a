import { redirectHfPeriodPath } from '$lib/server/papers/hf-period-path';
import type { PageServerLoadEvent } from './$types';

// A static segment outranks the paper page's [...id] catch-all, so this path never reaches it.
export const load = ({ params }: PageServerLoadEvent) => redirectHfPeriodPath('day', params.date);
