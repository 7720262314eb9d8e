"""The simulated Intacct company and its HTTP server. Depends on nothing else in wizard/.

from wizard.sandbox import Sandbox, SCENARIOS
with Sandbox(scenarios=("wrong-user-password",)) as sandbox:
    sandbox.endpoint, sandbox.credentials, sandbox.enable("period-closed"), sandbox.company
"""

from wizard.sandbox.company import Company
from wizard.sandbox.errors import SandboxDataError
from wizard.sandbox.sandbox import Credentials, Sandbox
from wizard.sandbox.scenarios import SCENARIOS, Scenario

__all__ = ["SCENARIOS", "Company", "Credentials", "Sandbox", "SandboxDataError", "Scenario"]
