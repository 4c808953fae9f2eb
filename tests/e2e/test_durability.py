"""An acknowledged post survives ``kill -9`` of the server; its fan-out finishes after a restart."""

from __future__ import annotations

import httpx2 as httpx

from tests.e2e.conftest import Server, wait_for


def test_post_survives_kill_and_fan_out_completes_after_restart(server: Server) -> None:
    alice = {"Authorization": f"Bearer {server.token(server.create_user('alice'))}"}
    bob = {"Authorization": f"Bearer {server.token(server.create_user('bob'))}"}
    alice_id = httpx.get(server.url + "/api/v1/accounts/verify_credentials", headers=alice).json()["id"]
    httpx.post(server.url + f"/api/v1/accounts/{alice_id}/follow", headers=bob).raise_for_status()
    server.stop()

    # Restart without a job runner, so the fan-out is certainly still pending when the server dies.
    server.start(GAZOUILLIS_EMBEDDED_WORKER="false")
    r = httpx.post(
        server.url + "/api/v1/statuses", headers=alice, data={"status": "acknowledged, then kill -9"}
    )
    assert r.status_code == 200
    post_id = r.json()["id"]
    server.kill()

    server.start()
    assert httpx.get(server.url + f"/api/v1/statuses/{post_id}").status_code == 200

    def delivered() -> bool:
        home = httpx.get(server.url + "/api/v1/timelines/home", headers=bob).json()
        return any(s["id"] == post_id for s in home)

    assert wait_for(delivered, timeout=15), "the fan-out did not finish after the restart"
