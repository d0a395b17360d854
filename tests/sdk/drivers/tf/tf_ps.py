# A TensorFlow parameter-server task's view of the job: its TF_CONFIG (no TensorFlow needed).
import os
print("TF_CONFIG=" + os.environ.get("TF_CONFIG", "{}"), flush=True)
