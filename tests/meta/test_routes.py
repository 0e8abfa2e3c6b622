"""Every route declares its permission; every API error has the one shape."""

from __future__ import annotations

from fastapi.routing import APIRoute

from govdata.web.deps import route_permission


def test_every_route_declares_a_permission(client):
    missing = [
        f"{sorted(r.methods)} {r.path}"
        for r in client.app.routes
        if isinstance(r, APIRoute)
        and r.path not in ("/docs", "/openapi.json", "/docs/oauth2-redirect", "/redoc")
        and route_permission(r.dependant) is None
    ]
    assert not missing, f"routes without a declared permission: {missing}"


def test_error_shape_is_one_shape(client, org):
    for resp in (
        client.get("/api/v1/catalog/resources"),  # 401
        client.get("/api/v1/nope"),  # 404
        client.post("/api/v1/auth/token", json={"username": 1}),  # 422
    ):
        body = resp.json()
        assert set(body) == {"error"}, body
        assert {"code", "message", "message_en", "hint", "hint_en", "details", "request_id"} <= set(
            body["error"]
        )
        assert resp.headers["X-Request-ID"]
