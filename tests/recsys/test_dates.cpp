#include <boost/test/unit_test.hpp>

#include "recsys/data/dates.h"

using namespace l2::recsys;

BOOST_AUTO_TEST_SUITE(dates_suite)

BOOST_AUTO_TEST_CASE(civil_days_round_trip_and_known_dates) {
  BOOST_TEST(days_from_civil(1970, 1, 1) == 0);
  BOOST_TEST(days_from_civil(2000, 3, 1) == 11017);
  BOOST_TEST(days_from_civil(1969, 12, 31) == -1);
  for (std::int64_t z = -800000; z <= 800000; z += 997) {  // ~ years -220 .. 4160
    std::int64_t y;
    int m, d;
    civil_from_days(z, y, m, d);
    BOOST_TEST(days_from_civil(y, m, d) == z);
  }
  BOOST_TEST(days_in_month(2000, 2) == 29);
  BOOST_TEST(days_in_month(1900, 2) == 28);
  BOOST_TEST(days_in_month(2024, 2) == 29);
}

BOOST_AUTO_TEST_CASE(utc_day_floors_negative_times) {
  BOOST_TEST(utc_day(0) == 0);
  BOOST_TEST(utc_day(86399) == 0);
  BOOST_TEST(utc_day(86400) == 1);
  BOOST_TEST(utc_day(-1) == -1);
  BOOST_TEST(utc_day(-86400) == -1);
  BOOST_TEST(utc_day(-86401) == -2);
}

BOOST_AUTO_TEST_CASE(iso_dates_parse_and_format) {
  std::int64_t t = 0;
  BOOST_TEST(parse_iso_datetime("2014-07-23", t));
  BOOST_TEST(t == 1406073600);  // the last day of the Amazon 2014 data (SOURCE.md)
  BOOST_TEST(format_date(t) == "2014-07-23");
  BOOST_TEST(parse_iso_datetime("2019-01-01 10:11:12", t));
  BOOST_TEST(format_datetime(t) == "2019-01-01 10:11:12");
  BOOST_TEST(!parse_iso_datetime("2019-13-01", t));
  BOOST_TEST(!parse_iso_datetime("2019-1-01", t));
  BOOST_TEST(!parse_iso_datetime("2019-01-01 24:00:00", t));
}

BOOST_AUTO_TEST_CASE(goodreads_dates_apply_the_timezone_offset) {
  std::int64_t t = 0;
  // A Goodreads date: 13:55:02 at UTC-7 is 20:55:02 UTC.
  BOOST_TEST(parse_goodreads_date("Fri Aug 25 13:55:02 -0700 2017", t));
  std::int64_t expect = 0;
  BOOST_TEST(parse_iso_datetime("2017-08-25 20:55:02", expect));
  BOOST_TEST(t == expect);
  // A positive offset moves the other way, across midnight and a year end.
  BOOST_TEST(parse_goodreads_date("Mon Jan 01 03:00:00 +0530 2018", t));
  BOOST_TEST(parse_iso_datetime("2017-12-31 21:30:00", expect));
  BOOST_TEST(t == expect);
  BOOST_TEST(parse_goodreads_date("Sun Dec 31 21:30:00 +0000 2017", t));
  BOOST_TEST(t == expect);
}

BOOST_AUTO_TEST_CASE(goodreads_dates_reject_malformed_strings) {
  std::int64_t t = 0;
  BOOST_TEST(!parse_goodreads_date("", t));
  BOOST_TEST(!parse_goodreads_date("Fri Aug 25 13:55:02 2017", t));         // no offset
  BOOST_TEST(!parse_goodreads_date("Fri Foo 25 13:55:02 -0700 2017", t));   // month
  BOOST_TEST(!parse_goodreads_date("Xyz Aug 25 13:55:02 -0700 2017", t));   // weekday
  BOOST_TEST(!parse_goodreads_date("Fri Aug 32 13:55:02 -0700 2017", t));   // day
  BOOST_TEST(!parse_goodreads_date("Fri Aug 25 13:55 -0700 2017", t));      // time
  BOOST_TEST(!parse_goodreads_date("Fri Aug 25 13:55:02 -07:00 2017", t));  // offset spelling
  BOOST_TEST(!parse_goodreads_date("2017-08-25", t));
}

BOOST_AUTO_TEST_CASE(goodreads_format_round_trips_with_any_offset) {
  for (int offset : {-720, -420, 0, 60, 330, 840}) {
    for (std::int64_t t : {std::int64_t(946684799), std::int64_t(1503694502), std::int64_t(1514763000)}) {
      std::int64_t back = 0;
      const std::string s = format_goodreads_date(t, offset);
      BOOST_TEST_INFO(s);
      BOOST_TEST(parse_goodreads_date(s, back));
      BOOST_TEST(back == t);
    }
  }
  BOOST_TEST(format_goodreads_date(1503694502, -420) == "Fri Aug 25 13:55:02 -0700 2017");
}

BOOST_AUTO_TEST_CASE(month_starts) {
  std::int64_t t = 0, m = 0;
  parse_iso_datetime("2013-12-15 10:00:00", t);
  parse_iso_datetime("2013-12-01", m);
  BOOST_TEST(month_start(t) == m);
  parse_iso_datetime("2014-01-01", m);
  BOOST_TEST(next_month_start(t) == m);
}

BOOST_AUTO_TEST_SUITE_END()
