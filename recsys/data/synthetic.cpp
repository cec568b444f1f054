#include "recsys/data/synthetic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "recsys/data/dates.h"
#include "recsys/data/text.h"
#include "tensor/check.h"
#include "tensor/random.h"

namespace l2::recsys {

namespace {

// Shape constants of the platform (documented in datasets/README.md).
constexpr int kCoreMinLen = 10, kCoreMaxLen = 40;     // interactions per core user, uniform
constexpr int kCasualMinLen = 4, kCasualMaxLen = 12;  // interactions per casual user, uniform
constexpr double kSuccessorProb = 0.7;                // in-topic step: the topic's next item, else a popularity draw
constexpr double kFavouriteProb = 0.5;                // on a topic switch: back to the user's favourite topic
constexpr double kZipf = 0.8;                         // item popularity inside a topic ~ 1 / (rank + 1)^kZipf

std::string number(double v) { return format_number(v); }

}  // namespace

std::string SyntheticConfig::describe() const {
  return "synthetic:users=" + std::to_string(users) + ",items=" + std::to_string(items) +
         ",topics=" + std::to_string(topics) + ",core_fraction=" + number(core_fraction) +
         ",seed=" + std::to_string(seed) + ",core_continuity=" + number(core_continuity) +
         ",casual_continuity=" + number(casual_continuity) + ",core_gap_days=" + number(core_gap_days) +
         ",casual_gap_days=" + number(casual_gap_days);
}

bool is_synthetic_spec(std::string_view data) { return data == "synthetic" || data.substr(0, 10) == "synthetic:"; }

SyntheticConfig parse_synthetic_spec(std::string_view spec) {
  L2_CHECK(is_synthetic_spec(spec), "not a synthetic spec: '" << spec << "'");
  SyntheticConfig c;
  if (spec == "synthetic") return c;
  std::vector<std::string_view> parts;
  split_fields(spec.substr(10), ",", parts);
  for (std::string_view p : parts) {
    const auto eq = p.find('=');
    L2_CHECK(eq != std::string_view::npos, "synthetic: expected key=value, got '" << p << "'");
    const std::string key(trim(p.substr(0, eq)));
    const std::string_view value = trim(p.substr(eq + 1));
    std::int64_t i = 0;
    double d = 0.0;
    auto need_int = [&](std::int64_t lo) {
      L2_CHECK(parse_int64(value, i) && i >= lo,
               "synthetic: " << key << " must be an integer >= " << lo << ", got '" << value << "'");
      return i;
    };
    auto need_double = [&](double lo, double hi) {
      L2_CHECK(parse_double(value, d) && d >= lo && d <= hi,
               "synthetic: " << key << " must be a number in [" << lo << ", " << hi << "], got '" << value << "'");
      return d;
    };
    if (key == "users")
      c.users = need_int(1);
    else if (key == "items")
      c.items = need_int(2);
    else if (key == "topics")
      c.topics = need_int(1);
    else if (key == "seed")
      c.seed = std::uint64_t(need_int(0));
    else if (key == "core_fraction")
      c.core_fraction = need_double(0.0, 1.0);
    else if (key == "core_continuity")
      c.core_continuity = need_double(0.0, 1.0);
    else if (key == "casual_continuity")
      c.casual_continuity = need_double(0.0, 1.0);
    else if (key == "core_gap_days")
      c.core_gap_days = need_double(1e-3, 29.0);
    else if (key == "casual_gap_days")
      c.casual_gap_days = need_double(30.0, 3650.0);
    else
      L2_FAIL("synthetic: unknown key '" << key
                                         << "' (known: users, items, topics, core_fraction, seed, "
                                            "core_continuity, casual_continuity, core_gap_days, casual_gap_days)");
  }
  L2_CHECK(c.items >= 2 * c.topics,
           "synthetic: items (" << c.items << ") must be at least 2 per topic (" << c.topics << " topics)");
  return c;
}

SyntheticData generate_synthetic(const SyntheticConfig& c) {
  L2_CHECK(c.users >= 1 && c.topics >= 1 && c.items >= 2 * c.topics, "synthetic: bad sizes in " << c.describe());
  SyntheticData out;
  out.log.name = "synthetic";
  out.log.source = c.describe();
  std::int64_t cutoff = 0;
  parse_iso_datetime(kSyntheticCutoffDate, cutoff);
  const std::int64_t K = c.topics, I = c.items;

  // Item k (0-based) is rank k / K of topic k % K. Popularity inside a topic falls with the rank.
  auto topic_size = [&](std::int64_t t) { return I / K + (t < I % K ? 1 : 0); };
  auto item_of = [&](std::int64_t t, std::int64_t rank) { return rank * K + t; };
  std::vector<std::vector<float>> popularity(static_cast<size_t>(K));
  for (std::int64_t t = 0; t < K; ++t)
    for (std::int64_t r = 0; r < topic_size(t); ++r)
      popularity[size_t(t)].push_back(float(1.0 / std::pow(double(r + 1), kZipf)));

  // Which users are core: a seeded permutation, the first core_fraction of it.
  Generator setup(c.seed, 0);
  std::vector<std::int64_t> perm(static_cast<size_t>(c.users));
  for (std::int64_t u = 0; u < c.users; ++u) perm[size_t(u)] = u;
  setup.shuffle(perm);
  out.truth.assign(size_t(c.users), Group::casual);
  const auto n_core = static_cast<std::int64_t>(std::llround(c.core_fraction * double(c.users)));
  for (std::int64_t k = 0; k < n_core; ++k) out.truth[size_t(perm[size_t(k)])] = Group::core;

  std::vector<std::int64_t> gaps, times;
  for (std::int64_t u = 0; u < c.users; ++u) {
    Generator g = Generator(c.seed, 1).fork(std::uint64_t(u));  // one stream per user
    const bool core = out.truth[size_t(u)] == Group::core;
    const auto n = core ? g.integer(kCoreMinLen, kCoreMaxLen + 1) : g.integer(kCasualMinLen, kCasualMaxLen + 1);

    // Timeline (Note [Synthetic timeline]): gaps, then a shift that puts the cutoff inside it.
    auto draw_gap = [&]() -> std::int64_t {
      double days = core ? std::min(-std::log(1.0 - double(g.uniform())) * c.core_gap_days, 29.0)
                         : std::max(c.casual_gap_days * g.uniform(0.6f, 1.4f), 30.0);
      return std::max<std::int64_t>(60, std::llround(days * double(kSecondsPerDay)));
    };
    gaps.assign(size_t(n), 0);
    for (std::int64_t k = 1; k < n; ++k) gaps[size_t(k)] = draw_gap();
    const float a = g.uniform();
    std::int64_t after = a < 0.04f ? 0 : a < 0.10f ? 1 : a < 0.70f ? 2 : 3;  // interactions at/after the cutoff
    after = std::min<std::int64_t>(after, n - 1);
    const std::int64_t m = n - after;  // index of the first interaction at/after the cutoff
    times.assign(size_t(n), 0);
    for (std::int64_t k = 1; k < n; ++k) times[size_t(k)] = times[size_t(k - 1)] + gaps[size_t(k)];
    const std::int64_t straddle = m < n ? gaps[size_t(m)] : draw_gap();  // the gap the cutoff falls in
    const std::int64_t into =
        std::clamp<std::int64_t>(std::llround(g.uniform(0.05f, 0.95f) * double(straddle)), 1, straddle - 1);
    const std::int64_t shift = cutoff - times[size_t(m - 1)] - into;  // so times[m-1] < cutoff <= times[m]

    // Items: topic walk with a Markov chain inside the topic.
    const auto favourite = g.integer(0, K);
    std::int64_t topic = favourite;
    std::int64_t rank = g.categorical(popularity[size_t(topic)].data(), std::int64_t(popularity[size_t(topic)].size()));
    const double continuity = core ? c.core_continuity : c.casual_continuity;
    for (std::int64_t k = 0; k < n; ++k) {
      if (k > 0) {
        if (g.uniform() < continuity) {
          rank = g.uniform() < kSuccessorProb ? (rank + 1) % topic_size(topic)
                                              : g.categorical(popularity[size_t(topic)].data(), topic_size(topic));
        } else {
          topic = g.uniform() < kFavouriteProb ? favourite : g.integer(0, K);
          rank = g.categorical(popularity[size_t(topic)].data(), topic_size(topic));
        }
      }
      out.log.add(std::to_string(u + 1), std::to_string(item_of(topic, rank) + 1), times[size_t(k)] + shift);
    }
  }
  out.log.report.lines = out.log.report.rows;
  return out;
}

}  // namespace l2::recsys
