// Module: a node of the model tree. It owns its parameters (leaf Vars that require a gradient)
// and points at its sub-modules, which are members of the derived class. Names are dotted paths
// ("blocks.0.attn.q.weight") in registration order, depth first: deterministic, so initialisers,
// optimiser state and checkpoints line up by name run after run.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "autograd/var.h"

namespace l2::nn {

// How weights are drawn (docs/model-specs.md names which original uses which); biases start at 0 and
// layer-norm gains at 1 in every scheme.
struct Init {
  enum Scheme { XavierUniform, XavierNormal, Normal, TruncatedNormal } scheme = XavierUniform;
  float std = 0.02f;  // for Normal and TruncatedNormal
  std::uint64_t seed = 0;
};

class Module {
 public:
  Module() = default;
  virtual ~Module() = default;
  Module(const Module&) = delete;  // sub-modules are registered by address
  Module& operator=(const Module&) = delete;

  std::vector<std::pair<std::string, Var>> named_parameters() const;
  std::vector<Var> parameters() const;
  std::int64_t parameter_count() const;

  void train(bool on = true);  // also sets every sub-module
  void eval() { train(false); }
  bool training() const { return training_; }
  void zero_grad();

  // Draws every parameter afresh. The base recurses into sub-modules; layers with parameters
  // override it. `prefix` is this module's dotted name, which keys each parameter's RNG stream.
  virtual void init_parameters(const Init& init, const std::string& prefix = "");

  // Parameter values by name (shared with the module: a snapshot needs clone()).
  std::map<std::string, Tensor> state_dict() const;
  // Copies values in by name. Every parameter must be present with its shape, and nothing else:
  // a mismatch names the parameter and both shapes, a missing or unexpected name says which.
  void load_state_dict(const std::map<std::string, Tensor>& state);

 protected:
  Var register_parameter(const std::string& name, Tensor value);
  void register_module(const std::string& name, Module& child);
  // Fills a weight by the scheme, with the stream of its full name.
  static void init_weight(Tensor& w, const Init& init, const std::string& full_name);

 private:
  void collect(const std::string& prefix, std::vector<std::pair<std::string, Var>>& out) const;

  std::vector<std::pair<std::string, Var>> params_;
  std::vector<std::pair<std::string, Module*>> children_;
  bool training_ = true;
};

}  // namespace l2::nn
