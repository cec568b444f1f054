#include <boost/test/unit_test.hpp>

#include "../../recsys/recsys_test_util.h"
#include "l2aug/app/data_writers.h"
#include "recsys/data/synthetic.h"

using namespace l2::recsys;
using namespace l2::app;
using l2::test::ScratchDir;

BOOST_AUTO_TEST_SUITE(writers_suite)

// The synthetic platform written in every format, plain and gzip, reads back as the same dataset:
// the same raw ids, sequences and times (Goodreads through its -0700 local times).
BOOST_AUTO_TEST_CASE(every_format_round_trips) {
  const Dataset original =
      build_dataset(generate_synthetic(parse_synthetic_spec("synthetic:users=120,items=80,topics=4")).log, {}, 0);
  const Format formats[] = {Format::movielens,   Format::movielens_dat, Format::paired,
                            Format::amazon_json, Format::amazon_csv,    Format::amazon_csv_2018,
                            Format::goodreads,   Format::recbole,       Format::delimited};
  for (Format f : formats) {
    for (bool gzip : {false, true}) {
      BOOST_TEST_CONTEXT(format_name(f) << (gzip ? " (gzip)" : "")) {
        ScratchDir dir("write");
        const auto files = write_interactions(original, f, dir.path(), gzip);
        BOOST_TEST(files.size() == (f == Format::paired ? 2u : 1u));
        LoadConfig config;
        if (f == Format::amazon_csv_2018) config.format = f;  // its official names say nothing
        const Dataset back = l2::test::load_path(f == Format::amazon_csv_2018 ? files[0] : dir.path(), config);
        BOOST_TEST(
            format_name(resolve_source(f == Format::amazon_csv_2018 ? files[0] : dir.path(), config.format).format) ==
            format_name(f));
        BOOST_TEST(back.user_names() == original.user_names(), boost::test_tools::per_element());
        BOOST_TEST(back.item_names() == original.item_names(), boost::test_tools::per_element());
        bool same = back.num_interactions() == original.num_interactions();
        for (std::int32_t u = 1; same && u <= original.num_users(); ++u)
          same = l2::test::vec(back.items_of(u)) == l2::test::vec(original.items_of(u)) &&
                 std::equal(back.times_of(u).begin(), back.times_of(u).end(), original.times_of(u).begin(),
                            original.times_of(u).end());
        BOOST_TEST(same);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(ids_that_cannot_be_written_are_refused) {
  const Dataset d = l2::test::make_dataset({{"user one", "a", 1}});
  ScratchDir dir("refuse");
  BOOST_TEST(l2::test::contains(l2::test::error_of([&] { write_interactions(d, Format::paired, dir.path(), false); }),
                                "id 'user one' contains a separator"));
  BOOST_TEST(write_interactions(d, Format::amazon_json, dir.path(), false).size() == 1u);  // JSON quotes it
}

BOOST_AUTO_TEST_SUITE_END()
