/** Filters Neutron accepts on list calls for networks, subnets and ports. */
export interface NeutronFilters {
  id?: string;
  name?: string;
  description?: string;
  project_id?: string;
  /** All of these tags (Neutron `tags`). */
  tags?: string[];
  /** Any of these tags (Neutron `tags-any`). */
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
  /** Page size; pagination is followed regardless. */
  limit?: number;
  [key: string]: string | number | boolean | string[] | undefined;
}

export function neutronParams(filters: NeutronFilters = {}): Record<string, string | number | boolean | undefined> {
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined) continue;
    if (k === 'tags' || k === 'tagsAny' || k === 'notTags' || k === 'notTagsAny') {
      const name = { tags: 'tags', tagsAny: 'tags-any', notTags: 'not-tags', notTagsAny: 'not-tags-any' }[k];
      out[name] = (v as string[]).join(',');
    } else if (Array.isArray(v)) {
      out[k] = v.join(',');
    } else out[k] = v;
  }
  return out;
}
