export {
  DEFAULT_SEED_OPTIONS,
  parseSeedOptions,
  validateSeedOptions,
  type SeedOptions,
  type SeedProgress,
} from './seed-options.js';
export { readInBatches } from './batches.js';
export { DEMO_EPOCH } from './entity-seed.js';
export {
  DEMO_ADMIN_EMAIL,
  DEMO_ADMIN_INDEX,
  DEMO_CUSTOMER_EMAIL,
  DEMO_CUSTOMER_INDEX,
  FIRST_GENERATED_CUSTOMER_INDEX,
  countDemoUsers,
  createDemoUsers,
  generateDemoUsers,
  getDemoAdminId,
  getDemoCustomerId,
  getDemoUserId,
  type DemoUser,
} from './users.js';
export { createDemoCategories, getDemoCategoryId, type DemoCategory } from './categories.js';
export { createDemoProducts, generateDemoProducts, getDemoProductId, type DemoProduct } from './products.js';
export { DEMO_CUSTOMER_ORDER_COUNT, createDemoOrders, generateDemoOrders, type DemoOrder, type DemoOrderItem } from './orders.js';
