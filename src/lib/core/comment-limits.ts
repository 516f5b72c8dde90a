/**
 * How long a comment's Markdown may be, for the API, the forms (`maxlength`) and
 * the preview alike. Pure: components read it too.
 */

/** Characters of Markdown in one comment; a longer one is refused with a sentence saying so. */
export const MAX_COMMENT_SOURCE_LENGTH = 20_000;
