#include "adapters/memory/catalog/memory_catalog_store.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <sstream>

#include "domain/shared/failure.hpp"

namespace shop::memory {

namespace {

using catalog::Product;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> found;
  std::string word;
  for (unsigned char c : lower(text) + ' ') {
    if (std::isalnum(c) || c >= 0x80) {
      word += char(c);
    } else if (!word.empty()) {
      found.push_back(word);
      word.clear();
    }
  }
  return found;
}

// Every searched word must start some word of the name, as with FTS5 prefix terms.
bool matches(const Product& product, const std::string& search) {
  auto name_words = words(product.details().name);
  for (const auto& wanted : words(search)) {
    bool found = std::any_of(name_words.begin(), name_words.end(),
                             [&](const std::string& word) { return word.starts_with(wanted); });
    if (!found) return false;
  }
  return true;
}

bool wanted(const Product& product, const catalog::ProductFilter& filter) {
  return product.active() &&
         (filter.category.empty() || product.details().category == filter.category) &&
         (filter.search.empty() || matches(product, filter.search));
}

std::vector<Product> page_by_id(const MemoryCatalogState& state,
                                const catalog::ProductFilter& filter) {
  std::vector<Product> found;
  for (auto it = state.products.upper_bound(filter.after_id);
       it != state.products.end() && found.size() < filter.limit; ++it) {
    if (wanted(it->second, filter)) found.push_back(it->second);
  }
  return found;
}

// As the SQLite store: in creation order, after the product `after_id` names
// or, for any other string, after the greatest id below it.
std::vector<Product> search_page(const MemoryCatalogState& state,
                                 const catalog::ProductFilter& filter) {
  auto next_by_id = state.products.upper_bound(filter.after_id);
  auto it = state.created.begin();
  if (next_by_id != state.products.begin()) {
    it = std::next(std::find(it, state.created.end(), std::prev(next_by_id)->first));
  }
  std::vector<Product> found;
  for (; it != state.created.end() && found.size() < filter.limit; ++it) {
    const Product& product = state.products.at(*it);
    if (wanted(product, filter)) found.push_back(product);
  }
  return found;
}

template <class Products>
void require_unique_sku(const Products& products, const Product& candidate) {
  for (const auto& [id, product] : products) {
    if (id != candidate.id() && product.active() && candidate.active() &&
        product.details().sku == candidate.details().sku) {
      throw Failure(FailureKind::conflict, "sku_taken",
                    "another product already has sku " + candidate.details().sku);
    }
  }
}

template <class State>
class Transaction final : public catalog::CatalogTransaction {
 public:
  explicit Transaction(State& state) : state_(state) {}

  std::optional<Product> find(const std::string& id) override {
    auto it = state_.products.find(id);
    if (it == state_.products.end()) return std::nullopt;
    return it->second;
  }
  void insert(const Product& product) override {
    require_unique_sku(state_.products, product);
    if (state_.products.insert_or_assign(product.id(), product).second) {
      state_.created.push_back(product.id());
    }
  }
  void update(const Product& product) override { insert(product); }
  void publish(const EventEnvelope& event) override { state_.events.append(event); }

 private:
  State& state_;
};

}  // namespace

void MemoryCatalogStore::write(const std::function<void(catalog::CatalogTransaction&)>& work) {
  state_.write([&](MemoryCatalogState& state) {
    Transaction<MemoryCatalogState> transaction(state);
    work(transaction);
  });
}

std::optional<Product> MemoryCatalogStore::find(const std::string& id) {
  return state_.read([&](const MemoryCatalogState& state) -> std::optional<Product> {
    auto it = state.products.find(id);
    if (it == state.products.end()) return std::nullopt;
    return it->second;
  });
}

std::vector<Product> MemoryCatalogStore::list(const catalog::ProductFilter& filter) {
  return state_.read([&](const MemoryCatalogState& state) {
    return filter.search.empty() ? page_by_id(state, filter) : search_page(state, filter);
  });
}

}  // namespace shop::memory
