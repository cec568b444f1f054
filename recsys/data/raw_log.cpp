#include "recsys/data/raw_log.h"

#include <limits>

#include "tensor/check.h"

namespace l2::recsys {

std::int32_t Interner::intern(std::string_view s) {
  if (auto it = index_.find(s); it != index_.end()) return it->second;
  L2_CHECK(names_.size() < std::size_t(std::numeric_limits<std::int32_t>::max()),
           "more than 2^31 distinct ids: ids are int32 (IndexTensor)");
  const auto id = static_cast<std::int32_t>(names_.size());
  names_.emplace_back(s);
  index_.emplace(names_.back(), id);
  return id;
}

void RawLog::add(std::string_view user_id, std::string_view item_id, std::int64_t t) {
  user.push_back(users.intern(user_id));
  item.push_back(items.intern(item_id));
  time.push_back(t);
  ++report.rows;
}

}  // namespace l2::recsys
