from wizard.connection import Profile, Secrets
from wizard.connection.credentials import gateway_credentials

PROFILE = Profile(
    name="acme", company_id="ACME", user_id="ws_user", sender_id="Sender", entity_id="US-EAST"
)
SECRETS = Secrets(sender_password="sender-pw", user_password="user-pw")


def test_a_saved_connection_signs_in_to_its_own_entity_with_its_passwords() -> None:
    credentials = gateway_credentials(PROFILE, SECRETS)
    assert (credentials.sender_id, credentials.company_id, credentials.user_id) == (
        "Sender",
        "ACME",
        "ws_user",
    )
    assert (credentials.sender_password, credentials.user_password) == ("sender-pw", "user-pw")
    assert credentials.entity_id == "US-EAST"


def test_another_entity_or_the_top_level_can_be_chosen_for_one_sign_in() -> None:
    assert gateway_credentials(PROFILE, SECRETS, "UK").entity_id == "UK"
    assert gateway_credentials(PROFILE, SECRETS, "").entity_id is None
