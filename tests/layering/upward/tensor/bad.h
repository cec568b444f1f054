// A header of the bottom layer that includes one of the layer above: the check must report it.
#pragma once
#include "nn/layers.h"
#include "tensor/tensor.h"
