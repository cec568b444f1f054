// Using l2aug as a library: load data (here the built-in synthetic platform), train SASRec with
// the shared trainer, and evaluate it with full ranking for casual and core users. The same
// steps as `l2aug train`, in a dozen lines of API.
#include <cstdio>

#include "recsys/data/prepare.h"
#include "recsys/eval/evaluate.h"
#include "recsys/models/recommender.h"
#include "recsys/train/trainer.h"

int main() {
  using namespace l2::recsys;
  DataConfig data;
  data.load.data = "synthetic:users=500,items=200,topics=8";
  const Prepared prepared = prepare_data(data);
  const Split& split = prepared.split;

  ModelConfig model_config = ModelConfig::defaults(ModelKind::sasrec);
  model_config.num_items = split.num_items();
  model_config.dim = 32;
  model_config.maxlen = 30;
  auto model = make_model(model_config);

  TrainConfig train = TrainConfig::defaults(ModelKind::sasrec);
  train.batch_size = 64;
  train.lr = 0.005f;
  train.epochs = 10;
  Trainer trainer(*model, split, train);
  trainer.run();

  model->eval();
  EvalOptions options;
  options.maxlen = model_config.maxlen;
  const EvalResult test = evaluate([&](const EvalBatch& b) { return model->score_all_last(b.items, b.positions); },
                                   split, EvalSet::test, options);
  std::fputs(format_table(test.metrics, "SASRec, test (" + test.protocol + ")").c_str(), stdout);
  return test.metrics.all.users > 0 ? 0 : 1;
}
