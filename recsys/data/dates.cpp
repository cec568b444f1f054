#include "recsys/data/dates.h"

#include <cstdio>
#include <vector>

#include "recsys/data/text.h"

namespace l2::recsys {

namespace {

constexpr const char* kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kWeekdays[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// Exactly `n` digits at s[pos..pos+n) as a number, or -1.
int digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool valid_date(std::int64_t y, int m, int d) { return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m); }

}  // namespace

std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                                   // [0, 399]
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;  // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           // [0, 146096]
  return era * 146097 + doe - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  d = int(doy - (153 * mp + 2) / 5 + 1);
  m = int(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

int days_in_month(std::int64_t y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[m - 1];
}

bool parse_iso_datetime(std::string_view s, std::int64_t& out) {
  if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) s.remove_suffix(1);
  if (s.size() != 10 && s.size() != 19) return false;
  const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-' || !valid_date(y, m, d)) return false;
  int hh = 0, mm = 0, ss = 0;
  if (s.size() == 19) {
    if (s[10] != ' ' && s[10] != 'T') return false;
    hh = digits(s, 11, 2), mm = digits(s, 14, 2), ss = digits(s, 17, 2);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || s[13] != ':' || s[16] != ':') return false;
  }
  out = days_from_civil(y, m, d) * kSecondsPerDay + hh * 3600 + mm * 60 + ss;
  return true;
}

std::string format_date(std::int64_t t) {
  std::int64_t y;
  int m, d;
  civil_from_days(utc_day(t), y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(y), m, d);
  return buf;
}

std::string format_datetime(std::int64_t t) {
  const std::int64_t sod = t - utc_day(t) * kSecondsPerDay;  // seconds of the day
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d:%02d", int(sod / 3600), int(sod / 60 % 60), int(sod % 60));
  return format_date(t) + buf;
}

bool parse_goodreads_date(std::string_view s, std::int64_t& out) {
  std::vector<std::string_view> f;
  split_whitespace(s, f);
  if (f.size() != 6) return false;
  bool weekday_ok = false;
  for (const char* w : kWeekdays) weekday_ok |= f[0] == w;
  int month = 0;
  for (int i = 0; i < 12; ++i)
    if (f[1] == kMonths[i]) month = i + 1;
  if (!weekday_ok || month == 0) return false;
  std::int64_t day = 0, year = 0;
  if (!parse_int64(f[2], day) || !parse_int64(f[5], year) || f[5].size() != 4) return false;
  if (!valid_date(year, month, int(day))) return false;
  const std::string_view hms = f[3];
  if (hms.size() != 8 || hms[2] != ':' || hms[5] != ':') return false;
  const int hh = digits(hms, 0, 2), mm = digits(hms, 3, 2), ss = digits(hms, 6, 2);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return false;
  const std::string_view tz = f[4];  // +HHMM or -HHMM
  if (tz.size() != 5 || (tz[0] != '+' && tz[0] != '-')) return false;
  const int oh = digits(tz, 1, 2), om = digits(tz, 3, 2);
  if (oh < 0 || oh > 14 || om < 0 || om > 59) return false;
  const std::int64_t offset = (tz[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
  const std::int64_t local = days_from_civil(year, month, int(day)) * kSecondsPerDay + hh * 3600 + mm * 60 + ss;
  out = local - offset;  // local = UTC + offset
  return true;
}

std::string format_goodreads_date(std::int64_t t, int offset_minutes) {
  const std::int64_t local = t + std::int64_t(offset_minutes) * 60;
  const std::int64_t day = utc_day(local);
  std::int64_t y;
  int m, d;
  civil_from_days(day, y, m, d);
  const std::int64_t sod = local - day * kSecondsPerDay;
  const int weekday = int(((day % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
  const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %s %02d %02d:%02d:%02d %c%02d%02d %04lld", kWeekdays[weekday], kMonths[m - 1], d,
                int(sod / 3600), int(sod / 60 % 60), int(sod % 60), offset_minutes < 0 ? '-' : '+', a / 60, a % 60,
                static_cast<long long>(y));
  return buf;
}

std::int64_t month_start(std::int64_t t) {
  std::int64_t y;
  int m, d;
  civil_from_days(utc_day(t), y, m, d);
  return days_from_civil(y, m, 1) * kSecondsPerDay;
}

std::int64_t next_month_start(std::int64_t t) {
  std::int64_t y;
  int m, d;
  civil_from_days(utc_day(t), y, m, d);
  if (++m > 12) m = 1, ++y;
  return days_from_civil(y, m, 1) * kSecondsPerDay;
}

}  // namespace l2::recsys
