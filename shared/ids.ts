// Paths accept an id or a slug; a uuid-shaped value is treated as an id (slugs can never have
// that shape), anything else is never cast to uuid (that would be a 22P02 instead of a 404).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
