import categorySpecs from './categories.json' with { type: 'json' };
import { deriveEntityId } from './entity-seed.js';

export interface DemoCategory {
  id: string;
  name: string;
  slug: string;
}

/** What the product generator needs to make up believable products for one category. */
export interface CategorySpec {
  name: string;
  slug: string;
  /** Prefix of the SKUs of this category's products, e.g. ELEC in ELEC-000123. */
  skuPrefix: string;
  /** Price range in cents; prices spread log-uniformly over it, so cheap items are the common ones. */
  priceCents: { min: number; max: number };
  /** Invented brand names, so no real trademark ends up in the demo catalog. */
  brands: readonly string[];
  modifiers: readonly string[];
  nouns: readonly string[];
  /** Noun phrases that fit any of the nouns, completing "<name>, with ... and ...". */
  features: readonly string[];
}

// The catalog does not change with the seed: categories are fixed reference data, and a fixed list
// gives every seed the same navigation, so screenshots and example queries stay valid. The data lives
// in categories.json; the assignment below checks it against CategorySpec.
export const CATEGORY_SPECS: readonly CategorySpec[] = categorySpecs;

/**
 * Creates the fixed list of product categories. Their ids come from their slugs alone, not from a
 * seed: the catalog's categories are the same for every seed.
 */
export function createDemoCategories(): DemoCategory[] {
  return CATEGORY_SPECS.map((spec) => ({
    id: getDemoCategoryId(spec.slug),
    name: spec.name,
    slug: spec.slug,
  }));
}

/** Derives the id of the demo category with this slug. */
export function getDemoCategoryId(slug: string): string {
  return deriveEntityId('catalog', 'category', slug);
}
