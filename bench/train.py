"""The same XGBoost training driven from Python (Debian's python3-xgboost), for the speed ratio in bench/training.ts.
Reads a float32 row-major matrix and float32 labels written by the TypeScript side; prints the seconds taken."""
import json
import sys
import time

import numpy as np
import xgboost as xgb

matrix_path, labels_path, nrow, ncol, rounds, params_json = sys.argv[1:7]
x = np.fromfile(matrix_path, dtype=np.float32).reshape(int(nrow), int(ncol))
y = np.fromfile(labels_path, dtype=np.float32)
params = json.loads(params_json)
started = time.perf_counter()
dtrain = xgb.DMatrix(x, label=y, missing=np.nan)
xgb.train(params, dtrain, num_boost_round=int(rounds))
print(json.dumps({"seconds": time.perf_counter() - started, "version": xgb.__version__}))
