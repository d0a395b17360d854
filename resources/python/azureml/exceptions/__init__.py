"""The exceptions of Azure ML's SDK that Labbench's stand-in raises, with the same names and base
classes, so that `except ComputeTargetException:` and `except ActivityFailedException:` in a
notebook work unchanged."""

__all__ = ["AzureMLException", "UserErrorException", "ComputeTargetException",
           "ActivityFailedException", "ExperimentExecutionException", "WorkspaceException",
           "ModelNotFoundException", "WebserviceException", "TrainingException",
           "RunConfigurationException"]


class AzureMLException(Exception):
    """The base of every SDK error. `message` is the one sentence Labbench gave."""

    def __init__(self, exception_message, inner_exception=None, target=None, details=None, message_format=None,
                 message_parameters=None, reference_code=None, **kwargs):
        super().__init__(exception_message)
        self.message = exception_message
        self.inner_exception = inner_exception


class _SdkError(AzureMLException):
    """The (exception_message, **kwargs) form most of Azure's exceptions take."""

    def __init__(self, exception_message, **kwargs):
        super().__init__(exception_message, **kwargs)


class UserErrorException(_SdkError):
    """Something the caller asked for is wrong or missing (a file, a name, an argument)."""


class ComputeTargetException(_SdkError):
    """A compute target is missing, or cannot give what was asked of it."""


class WorkspaceException(AzureMLException):
    """The workspace cannot be found or opened."""

    def __init__(self, exception_message, found_multiple=False, **kwargs):
        super().__init__(exception_message, **kwargs)


class ExperimentExecutionException(_SdkError):
    """Submitting or following a run went wrong."""


class TrainingException(_SdkError):
    """An estimator or a HyperDrive configuration is wrong."""


class RunConfigurationException(_SdkError):
    """A run configuration is wrong."""


class WebserviceException(AzureMLException):
    """A model (or service) lookup failed."""

    def __init__(self, exception_message, status_code=None, logger=None, **kwargs):
        super().__init__(exception_message, **kwargs)


class ModelNotFoundException(AzureMLException):
    """No registered model matches."""

    def __init__(self, exception_message, logger=None, **kwargs):
        super().__init__(exception_message, **kwargs)


class ActivityFailedException(AzureMLException):
    """The run failed; raised by wait_for_completion like Azure ML does. error_details is the
    error as JSON text."""

    def __init__(self, error_details, **kwargs):
        super().__init__("Activity Failed:\n{}".format(error_details), **kwargs)
        self.error_details = error_details
