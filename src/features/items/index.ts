/**
 * The items feature's public API: what another feature may import
 * (ESLint refuses imports of this feature's other files from outside it).
 */
export { ItemsModule } from './items.module';
