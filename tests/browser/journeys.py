"""Steps several browser journeys share."""

from tests.browser.test_referral_browser import sign_in

__all__ = ["decide_in_own_sessions", "sign_in"]


def decide_in_own_sessions(browser, live_server, request, steps) -> None:
    """Each (username, action) opens the HR request in a session of its own and presses the
    action's button, as a verifier and an approver do on their own machines."""
    for username, action in steps:
        context = browser.new_context(base_url=live_server.url, locale="id-ID")
        other = context.new_page()
        other.set_default_timeout(20_000)
        sign_in(other, username)
        other.goto(f"/kolaborasi/permohonan/{request.uid}/")
        other.locator(f"button[name=action][value={action}]").click()
        other.wait_for_load_state("networkidle")
        context.close()
