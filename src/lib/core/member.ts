/** Who a signed-in reader is, and what their role lets them do. Shared by server and components. */

/** Roles from least to most trusted; each may do what the ones before it may. */
export const ROLES = ['member', 'moderator', 'admin'] as const;

export type Role = (typeof ROLES)[number];

/** A signed-in member as requests and pages see them. */
export interface Member {
	id: string;
	username: string;
	displayName: string;
	role: Role;
}

/** Whether `role` is at least `needed` in the order member < moderator < admin. */
export function hasRole(role: Role, needed: Role): boolean {
	return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
