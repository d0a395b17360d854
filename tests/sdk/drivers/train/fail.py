# Fails the way a broken training script does: a traceback and a non-zero exit.
print("about to fail", flush=True)
raise RuntimeError("the data is not there")
