import type { Filters } from '../../domain/filters';

/** A Reconcile grouping: one of the filter dimensions, or an attribute. */
export type GroupDimension = 'model' | 'provider' | 'lane' | 'image_size' | 'day' | 'attribute';

/** The global filters narrowed to one group (for the link to its requests); attributes are not global filters. */
export function filtersForGroup(filters: Filters, dimension: GroupDimension, value: string): Filters {
  switch (dimension) {
    case 'model':
      return { ...filters, models: [value] };
    case 'provider':
      return { ...filters, providers: [value] };
    case 'lane':
      return { ...filters, lanes: [value] };
    case 'image_size':
      return { ...filters, sizes: [value] };
    case 'day':
      return { ...filters, from: value, to: value };
    case 'attribute':
      return filters;
  }
}

/** A decimal USD amount ≥ 0 with at most 12 places, as the tolerance input accepts. */
export function isTolerance(text: string): boolean {
  return /^\d+(\.\d{1,12})?$/.test(text.trim());
}
