#include "nn/module.h"

#include <cstring>
#include <set>

#include "nn/init.h"

namespace l2::nn {

Var Module::register_parameter(const std::string& name, Tensor value) {
  for (const auto& [n, v] : params_) L2_CHECK(n != name, "Module: parameter '" << name << "' registered twice");
  Var p = parameter(std::move(value));
  params_.emplace_back(name, p);
  return p;
}

void Module::register_module(const std::string& name, Module& child) {
  for (const auto& [n, m] : children_) L2_CHECK(n != name, "Module: sub-module '" << name << "' registered twice");
  children_.emplace_back(name, &child);
}

void Module::collect(const std::string& prefix, std::vector<std::pair<std::string, Var>>& out) const {
  for (const auto& [n, v] : params_) out.emplace_back(prefix + n, v);
  for (const auto& [n, m] : children_) m->collect(prefix + n + ".", out);
}

std::vector<std::pair<std::string, Var>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Var>> out;
  collect("", out);
  return out;
}

std::vector<Var> Module::parameters() const {
  std::vector<Var> out;
  for (auto& [n, v] : named_parameters()) out.push_back(v);
  return out;
}

std::int64_t Module::parameter_count() const {
  std::int64_t n = 0;
  for (const auto& [name, v] : named_parameters()) n += v->value.numel();
  return n;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [n, m] : children_) m->train(on);
}

void Module::zero_grad() {
  for (auto& [n, v] : named_parameters()) l2::zero_grad(*v);
}

void Module::init_parameters(const Init& init, const std::string& prefix) {
  for (auto& [n, m] : children_) m->init_parameters(init, prefix + n + ".");
}

void Module::init_weight(Tensor& w, const Init& init, const std::string& full_name) {
  const std::uint64_t stream = init::name_stream(full_name);
  switch (init.scheme) {
    case Init::XavierUniform: return init::xavier_uniform(w, init.seed, stream);
    case Init::XavierNormal: return init::xavier_normal(w, init.seed, stream);
    case Init::Normal: return init::normal(w, init.seed, stream, 0.0f, init.std);
    case Init::TruncatedNormal: return init::truncated_normal(w, init.seed, stream, 0.0f, init.std);
  }
}

std::map<std::string, Tensor> Module::state_dict() const {
  std::map<std::string, Tensor> out;
  for (const auto& [n, v] : named_parameters()) out[n] = v->value;
  return out;
}

void Module::load_state_dict(const std::map<std::string, Tensor>& state) {
  std::set<std::string> expected;
  for (const auto& [name, v] : named_parameters()) {
    expected.insert(name);
    auto it = state.find(name);
    L2_CHECK(it != state.end(), "checkpoint has no parameter '" << name
                                    << "' (was it written by another model architecture or configuration?)");
    L2_CHECK(it->second.shape() == v->shape(), "parameter '" << name << "' has shape " << it->second.shape()
                                                             << " in the checkpoint but " << v->shape()
                                                             << " in the model (another configuration?)");
  }
  for (const auto& [name, t] : state)
    L2_CHECK(expected.count(name), "checkpoint has parameter '" << name << "' " << t.shape()
                                                                << " that this model does not have (another architecture?)");
  for (const auto& [name, v] : named_parameters()) v->value.copy_from(state.at(name));
}

}  // namespace l2::nn
