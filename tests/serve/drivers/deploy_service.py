# Azure ML v1's deployment code as the documents write it (issue 18): Model.deploy with a score.py
# InferenceConfig and a LocalWebservice, wait_for_deployment, run, get_logs, delete; and a score.py
# whose init() raises, which wait_for_deployment reports. Paths and ports come from the test.
import json
import os

from azureml.core import Workspace
from azureml.core.model import InferenceConfig, Model
from azureml.core.webservice import LocalWebservice, Webservice
from azureml.exceptions import WebserviceException

ws = Workspace.from_config()
model = Model(ws, "mnist")
inference_config = InferenceConfig(entry_script="score.py", source_directory=os.environ["SCORER_DIR"])
deployment_config = LocalWebservice.deploy_configuration(port=int(os.environ["PORT"]))
service = Model.deploy(ws, "sdk-service", [model], inference_config, deployment_config)
service.wait_for_deployment(show_output=True)
print("STATE", service.state)
print("URI", service.scoring_uri)

with open(os.environ["ROWS_FILE"]) as f:
    input_data = f.read()
answer = service.run(input_data)
print("CLASSES", json.dumps(answer["classes"]))
try:
    service.run(json.dumps({"data": "boom"}))
    print("NOT RAISED")
except WebserviceException as e:
    print("RAISED", json.dumps(str(e)))
print("LOGGED", json.dumps("Traceback" in service.get_logs()))
print("PATH", Model.get_model_path("mnist", version=1, _workspace=ws))

bad = Model.deploy(ws, "sdk-bad", [model],
                   InferenceConfig(entry_script="score.py", source_directory=os.environ["BAD_DIR"]),
                   LocalWebservice.deploy_configuration(port=int(os.environ["PORT2"])))
try:
    bad.wait_for_deployment()
    print("NOT RAISED")
except WebserviceException as e:
    print("FAILED", json.dumps(str(e)))

service.delete()
bad.delete()
print("LEFT", json.dumps(sorted(s.name for s in Webservice.list(ws))))
