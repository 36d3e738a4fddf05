// Small helpers the owner's forms share: a slug from a name, a form's values, and where a
// server's field error belongs.
import { ApiError } from '../api.ts';

/** "Dr. Anna Weber" -> "dr-anna-weber": lower-case words joined by hyphens, as slugs must be. */
export function slugify(name: string): string {
  const slug = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return slug === 'any' ? 'any-1' : slug;
}

/** The value of a field of `root` by id ('' when missing). */
export function valueOf(root: ParentNode, id: string): string {
  const el = root.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`#${id}`);
  return el ? el.value.trim() : '';
}

export function checked(root: ParentNode, id: string): boolean {
  return root.querySelector<HTMLInputElement>(`#${id}`)?.checked ?? false;
}

/** The request field a 400 names ("body.slug" -> "slug"), for the form to show the error beside it. */
export function fieldOf(err: unknown): string | null {
  if (!(err instanceof ApiError) || !err.body.field) return null;
  return err.body.field.replace(/^(body|query|querystring)\./, '');
}
