// The method may include recsys (below it) but not the application (above it).
#include "l2aug/method/augmentor.h"
#include "recsys/models/sasrec.h"
#include "l2aug/app/cli.h"
