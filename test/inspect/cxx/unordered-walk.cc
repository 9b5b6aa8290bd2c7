// Walk order of std::unordered_map<int64_t, int> under a script of operations,
// for test/inspect/fd-walk-order.test.ts. One operation per line on stdin:
//   a T K   insert key K into table T (no-op when present, as sinsp's add_ref keeps the node)
//   e T K   erase key K from table T
//   c T     clear table T
//   k T U   clear U, then insert T's keys into U in T's walk order (a fork's table copy)
//   p T     print T's keys in walk order, one line
#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <unordered_map>

int main() {
  std::map<int, std::unordered_map<int64_t, int>> tables;
  std::string op;
  while (std::cin >> op) {
    int t;
    std::cin >> t;
    auto& m = tables[t];
    if (op == "a") { int64_t k; std::cin >> k; m.emplace(k, 0); }
    else if (op == "e") { int64_t k; std::cin >> k; m.erase(k); }
    else if (op == "c") { m.clear(); }
    else if (op == "k") {
      int u; std::cin >> u;
      auto& to = tables[u];
      to.clear();
      for (auto& kv : tables[t]) to.emplace(kv.first, 0);
    } else if (op == "p") {
      bool first = true;
      for (auto& kv : m) { std::cout << (first ? "" : " ") << kv.first; first = false; }
      std::cout << "\n";
    }
  }
  return 0;
}
