import { useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { CategoriesDocument } from '../../../../operations/__generated__/graphql';

export interface CatalogFilter {
  search: string;
  categoryId: string;
}

interface CatalogFiltersProps {
  filter: CatalogFilter;
  onChange: (filter: CatalogFilter) => void;
}

/** The search box (applied on submit) and the category list (applied on change). */
export function CatalogFilters({ filter, onChange }: CatalogFiltersProps) {
  const [search, setSearch] = useState(filter.search);
  // Categories spreads the first products of each; the list needs only the names, so ask for one.
  const categories = useQuery(CategoriesDocument, { variables: { productsPerCategory: 1 } });

  function submitSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onChange({ ...filter, search: search.trim() });
  }

  return (
    <form role="search" aria-label="Catalog" onSubmit={submitSearch} className="filters">
      <label>
        Search products
        <input type="search" name="search" value={search} onChange={(event) => setSearch(event.target.value)} />
      </label>
      <button type="submit">Search</button>
      <label>
        Category
        <select
          name="category"
          value={filter.categoryId}
          disabled={!categories.data}
          onChange={(event) => onChange({ ...filter, categoryId: event.target.value })}
        >
          <option value="">All categories</option>
          {categories.data?.categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
