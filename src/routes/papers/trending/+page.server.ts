import { redirect } from '@sveltejs/kit';
import { links } from '$lib/links';

// Hugging Face's address for trending papers; ours is /trending. A static segment outranks the
// paper page's [...id] catch-all, so this path never reaches it.
export const load = () => redirect(308, links.trending());
