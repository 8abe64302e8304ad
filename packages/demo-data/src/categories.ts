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
// gives every seed the same navigation, so screenshots and example queries stay valid. Kept one
// list per line (prettier would give every word a line of its own).
// prettier-ignore
export const CATEGORY_SPECS: readonly CategorySpec[] = [
  {
    name: 'Books',
    slug: 'books',
    skuPrefix: 'BOOK',
    priceCents: { min: 499, max: 6_999 },
    brands: [],
    modifiers: ['Paperback', 'Hardcover', 'Illustrated Edition', 'Collector’s Edition', 'Large Print'],
    nouns: [],
    features: [],
  },
  {
    name: 'Electronics',
    slug: 'electronics',
    skuPrefix: 'ELEC',
    priceCents: { min: 999, max: 99_999 },
    brands: ['Voltra', 'Lumenix', 'Nexa', 'Auralis', 'Kestrel', 'Pixelon'],
    modifiers: ['Wireless', 'Bluetooth', 'Portable', 'Noise-Cancelling', 'Smart', 'USB-C', '4K', 'Compact'],
    nouns: ['Headphones', 'Speaker', 'Monitor', 'Keyboard', 'Mouse', 'Webcam', 'Power Bank', 'Earbuds', 'Smartwatch', 'Charger', 'Tablet', 'E-Reader'],
    features: ['energy-efficient operation', 'plug-and-play setup', 'a low-latency connection', 'a sturdy aluminium housing', 'free firmware updates', 'a two-year warranty'],
  },
  {
    name: 'Kitchen',
    slug: 'kitchen',
    skuPrefix: 'KTCH',
    priceCents: { min: 299, max: 39_999 },
    brands: ['Copperleaf', 'Hearthstone', 'Saltwell', 'Brightpan', 'Olivetree'],
    modifiers: ['Stainless Steel', 'Cast Iron', 'Non-Stick', 'Ceramic', 'Bamboo', 'Glass', 'Enamelled'],
    nouns: ['Frying Pan', 'Chef’s Knife', 'Cutting Board', 'Saucepan', 'Dutch Oven', 'Mixing Bowl Set', 'Coffee Grinder', 'Kettle', 'Spatula', 'Food Storage Set'],
    features: ['dishwasher-safe parts', 'even heat distribution', 'a comfortable ergonomic grip', 'a finish that resists stains', 'a space-saving nesting design', 'food-safe, BPA-free materials'],
  },
  {
    name: 'Home Decor',
    slug: 'home-decor',
    skuPrefix: 'HOME',
    priceCents: { min: 499, max: 49_999 },
    brands: ['Linden & Co', 'Nordhaus', 'Willowmere', 'Casa Alba', 'Fernway'],
    modifiers: ['Linen', 'Velvet', 'Rattan', 'Oak', 'Marble', 'Woven', 'Handmade'],
    nouns: ['Throw Pillow', 'Table Lamp', 'Wall Mirror', 'Vase', 'Area Rug', 'Picture Frame', 'Candle Holder', 'Throw Blanket', 'Storage Basket', 'Wall Clock'],
    features: ['a timeless neutral palette', 'hand-finished details', 'natural, responsibly sourced materials', 'a look that suits any room', 'easy care at home', 'gift-ready packaging'],
  },
  {
    name: 'Garden & Outdoor',
    slug: 'garden-outdoor',
    skuPrefix: 'GRDN',
    priceCents: { min: 399, max: 79_999 },
    brands: ['Greenfield', 'Mossbank', 'Sunhollow', 'Thornbury', 'Fieldcraft'],
    modifiers: ['Weatherproof', 'Solar', 'Folding', 'Galvanised', 'Cedar', 'Heavy-Duty'],
    nouns: ['Garden Hose', 'Planter', 'Pruning Shears', 'Patio Chair', 'String Lights', 'Bird Feeder', 'Watering Can', 'Raised Garden Bed', 'Compost Bin', 'Hammock'],
    features: ['UV-resistant materials', 'rust-proof fittings', 'tool-free assembly', 'year-round outdoor durability', 'a lightweight build that is easy to move', 'a five-year guarantee'],
  },
  {
    name: 'Sports & Fitness',
    slug: 'sports-fitness',
    skuPrefix: 'SPRT',
    priceCents: { min: 499, max: 59_999 },
    brands: ['Stridewell', 'Peakform', 'Ironvale', 'Tidewater', 'Summitline'],
    modifiers: ['Adjustable', 'Lightweight', 'Non-Slip', 'Insulated', 'Foldable', 'Pro'],
    nouns: ['Yoga Mat', 'Dumbbell Set', 'Resistance Bands', 'Water Bottle', 'Jump Rope', 'Foam Roller', 'Tennis Racket', 'Cycling Helmet', 'Gym Bag', 'Kettlebell'],
    features: ['a grip that holds when you sweat', 'durable, easy-clean surfaces', 'a compact size for small spaces', 'a design tested by coaches', 'a carry strap for the commute', 'sizes for every level'],
  },
  {
    name: 'Toys & Games',
    slug: 'toys-games',
    skuPrefix: 'TOYS',
    priceCents: { min: 299, max: 19_999 },
    brands: ['Brightbox', 'Tinker Lane', 'Puzzleworks', 'Little Comet', 'Meeple House'],
    modifiers: ['Wooden', 'Magnetic', 'Deluxe', 'Family', 'Travel', 'Glow-in-the-Dark'],
    nouns: ['Building Blocks', 'Board Game', 'Jigsaw Puzzle', 'Plush Bear', 'Card Game', 'Train Set', 'Art Kit', 'Remote Control Car', 'Marble Run', 'Doll House'],
    features: ['child-safe, non-toxic paints', 'hours of screen-free play', 'rules that take five minutes to learn', 'pieces sized for small hands', 'a sturdy storage box', 'fun for ages 6 and up'],
  },
  {
    name: 'Clothing',
    slug: 'clothing',
    skuPrefix: 'CLTH',
    priceCents: { min: 999, max: 29_999 },
    brands: ['Northcoast', 'Harbor & Pine', 'Everlane Street', 'Wildmere', 'Cotton Field'],
    modifiers: ['Organic Cotton', 'Merino Wool', 'Linen', 'Fleece', 'Recycled', 'Waterproof', 'Slim-Fit'],
    nouns: ['T-Shirt', 'Hoodie', 'Rain Jacket', 'Sweater', 'Chinos', 'Denim Jacket', 'Dress', 'Scarf', 'Beanie', 'Pyjama Set'],
    features: ['a relaxed, true-to-size fit', 'breathable fabric', 'reinforced seams', 'machine-washable care', 'a colour that does not fade', 'responsibly sourced fibres'],
  },
  {
    name: 'Shoes',
    slug: 'shoes',
    skuPrefix: 'SHOE',
    priceCents: { min: 1_999, max: 24_999 },
    brands: ['Trailbound', 'Cobblestone', 'Swiftstep', 'Marlow', 'Groundwork'],
    modifiers: ['Leather', 'Suede', 'Canvas', 'Waterproof', 'Trail', 'Knit'],
    nouns: ['Sneakers', 'Running Shoes', 'Hiking Boots', 'Loafers', 'Chelsea Boots', 'Sandals', 'Slippers', 'Ankle Boots'],
    features: ['a cushioned, supportive sole', 'all-day comfort', 'a grippy rubber outsole', 'a removable insole', 'stitching built to last', 'free size exchanges'],
  },
  {
    name: 'Beauty & Personal Care',
    slug: 'beauty-personal-care',
    skuPrefix: 'BEAU',
    priceCents: { min: 199, max: 14_999 },
    brands: ['Lumière', 'Botanica', 'Purely', 'Seasalt & Sage', 'Glowday'],
    modifiers: ['Hydrating', 'Fragrance-Free', 'Vitamin C', 'Gentle', 'Travel-Size', 'Overnight'],
    nouns: ['Face Moisturizer', 'Shampoo', 'Conditioner', 'Lip Balm', 'Sunscreen SPF 50', 'Body Wash', 'Hand Cream', 'Face Serum', 'Electric Toothbrush', 'Hair Dryer'],
    features: ['a formula suited to sensitive skin', 'no parabens or sulfates', 'dermatologist-tested ingredients', 'a light, non-greasy feel', 'recyclable packaging', 'cruelty-free testing'],
  },
  {
    name: 'Office Supplies',
    slug: 'office-supplies',
    skuPrefix: 'OFFC',
    priceCents: { min: 199, max: 49_999 },
    brands: ['Paperwise', 'Deskline', 'Inkwell', 'Quillmark', 'Ledgerly'],
    modifiers: ['Ergonomic', 'Refillable', 'Recycled', 'A5', 'Dotted', 'Adjustable'],
    nouns: ['Notebook', 'Fountain Pen', 'Desk Organizer', 'Office Chair', 'Monitor Stand', 'Stapler', 'Planner', 'Sticky Notes', 'Desk Lamp', 'File Folders'],
    features: ['a tidy, practical design', 'a clutter-free desk', 'reliable everyday quality', 'a one-year warranty', 'sturdy, everyday construction', 'a clean, minimal look'],
  },
  {
    name: 'Pet Supplies',
    slug: 'pet-supplies',
    skuPrefix: 'PETS',
    priceCents: { min: 299, max: 29_999 },
    brands: ['Happy Paws', 'Whisker & Tail', 'Barkley', 'Furrow', 'Nibbles'],
    modifiers: ['Orthopedic', 'Chew-Resistant', 'Reflective', 'Self-Cleaning', 'Washable', 'Grain-Free'],
    nouns: ['Dog Bed', 'Cat Tree', 'Leash', 'Food Bowl', 'Scratching Post', 'Pet Carrier', 'Dog Treats', 'Litter Box', 'Chew Toy', 'Grooming Brush'],
    features: ['vet-approved materials', 'easy cleaning', 'comfort for pets of every size', 'a non-slip base', 'durability against enthusiastic chewers', 'a calm, cosy design'],
  },
];

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
