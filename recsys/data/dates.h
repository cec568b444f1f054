// Calendar arithmetic in UTC for the temporal protocol (Appendix A.1: the cutoff date T) and for the
// date strings of the raw dumps: ISO dates, and Goodreads' "Fri Aug 25 13:55:02 -0700 2017", whose
// offset must be applied to get UTC. Days <-> civil dates use H. Hinnant's branch-free algorithms
// (proleptic Gregorian calendar, valid far beyond any interaction log).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace l2::recsys {

inline constexpr std::int64_t kSecondsPerDay = 86400;

// Days since 1970-01-01 of the civil date (y, m, d), m in 1..12, d in 1..31.
std::int64_t days_from_civil(std::int64_t y, int m, int d);
// The civil date of day z since 1970-01-01.
void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d);
int days_in_month(std::int64_t y, int m);

// The UTC calendar day of a unix time (floor division, so negative times work too).
inline std::int64_t utc_day(std::int64_t t) {
  return t >= 0 ? t / kSecondsPerDay : -((-t + kSecondsPerDay - 1) / kSecondsPerDay);
}

// "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DDTHH:MM:SS", optionally ending in 'Z'; UTC.
bool parse_iso_datetime(std::string_view s, std::int64_t& out);
std::string format_date(std::int64_t t);      // "2014-01-01" (UTC)
std::string format_datetime(std::int64_t t);  // "2014-01-01 00:00:00" (UTC)

// Goodreads' Ruby-style time: "<weekday> <month> <day> HH:MM:SS <+|-HHMM> <year>", e.g.
// "Fri Aug 25 13:55:02 -0700 2017" = 2017-08-25 20:55:02 UTC. The weekday must be a valid name
// but is not checked against the date (it carries no information the date does not).
bool parse_goodreads_date(std::string_view s, std::int64_t& out);
// The same format, written with a UTC offset of `offset_minutes` (for fixtures and export).
std::string format_goodreads_date(std::int64_t t, int offset_minutes);

// The first instant of the UTC month that contains t, and of the month after it.
std::int64_t month_start(std::int64_t t);
std::int64_t next_month_start(std::int64_t t);

}  // namespace l2::recsys
