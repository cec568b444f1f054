#include "recsys/train/training_run.h"

#include <sstream>

#include "tensor/check.h"

namespace l2::recsys {

namespace {
constexpr const char* kGroups[] = {"casual", "core", "all"};
}  // namespace

TrainingRun::TrainingRun(std::string label) : progress_(std::move(label)) {}

void TrainingRun::keep(const std::string& prefix, nn::Module& module) {
  kept_.emplace_back(prefix, &module);
  best_params_.emplace_back();
}

bool TrainingRun::observe(double c, std::int64_t at) {
  if (!(c > best_)) {
    ++bad_evals_;
    return false;
  }
  best_ = c;
  best_at_ = at;
  bad_evals_ = 0;
  for (size_t m = 0; m < kept_.size(); ++m) {
    best_params_[m].clear();
    for (const auto& [k, t] : kept_[m].second->state_dict()) best_params_[m][k] = t.clone();
  }
  return true;
}

void TrainingRun::restore_best() {
  for (size_t m = 0; m < kept_.size(); ++m)
    if (!best_params_[m].empty()) kept_[m].second->load_state_dict(best_params_[m]);
}

void TrainingRun::save(nn::StateDict& s, const std::string& prefix, const std::string& at_key) const {
  s.set_double(prefix + "best", best_);
  s.set_int(prefix + at_key, best_at_);
  s.set_int(prefix + "bad_evals", bad_evals_);
  s.set_double(prefix + "seconds", seconds());
  for (size_t m = 0; m < kept_.size(); ++m)
    for (const auto& [k, t] : best_params_[m]) s.tensors[kept_[m].first + k] = t;
}

void TrainingRun::load(const nn::StateDict& s, const std::string& prefix, const std::string& at_key) {
  best_ = s.get_double(prefix + "best");
  best_at_ = s.get_int(prefix + at_key);
  bad_evals_ = s.get_int(prefix + "bad_evals");
  seconds_before_ = s.get_double(prefix + "seconds");
  for (size_t m = 0; m < kept_.size(); ++m) best_params_[m] = s.extract(kept_[m].first).tensors;
}

void check_resumable_settings(const std::string& checkpoint, const std::string& what, const nlohmann::json& saved,
                              const nlohmann::json& now, std::initializer_list<const char*> free_keys) {
  auto without_limits = [&](nlohmann::json j) {
    for (const char* k : free_keys) j.erase(k);
    return j.dump();
  };
  L2_CHECK(without_limits(saved) == without_limits(now),
           checkpoint << " was written with other " << what << " settings:\n  checkpoint: " << saved.dump()
                      << "\n  now:        " << now.dump());
}

std::string validation_csv_header(const std::vector<std::string>& metrics) {
  std::ostringstream os;
  for (const char* g : kGroups)
    for (const std::string& m : metrics) os << ",valid_" << g << "_" << m;
  return os.str();
}

std::string validation_csv_values(const nlohmann::json& validation, const std::vector<std::string>& metrics) {
  std::ostringstream os;
  for (const char* g : kGroups)
    for (const std::string& m : metrics)
      os << "," << (validation.contains(g) && validation[g].contains(m) ? validation[g][m].get<double>() : 0.0);
  return os.str();
}

}  // namespace l2::recsys
