"""`GET /v1/health` and `GET /v1/me`: is the service up, and who am I."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter, Depends, Request

from falsefriends.api.auth import require
from falsefriends.api.errors import ERROR_RESPONSES
from falsefriends.api.schemas import Health, Me
from falsefriends.api.users import Principal

router = APIRouter(prefix="/v1", tags=["meta"], responses=ERROR_RESPONSES)


def package_version() -> str:
    try:
        return version("falsefriends")
    except PackageNotFoundError:
        return "unknown"


@router.get("/health", response_model=Health, summary="Liveness and what is loaded")
async def health(request: Request) -> Health:
    return Health(status="ok", version=package_version(), rules=len(request.app.state.checkers.rules.rules))


@router.get("/me", response_model=Me, summary="The caller's user and role (null when anonymous)")
async def me(request: Request, principal: Principal | None = Depends(require(None))) -> Me:
    return Me(name=principal.name if principal else None, role=principal.role.value if principal else None,
              public_check=request.app.state.settings.public_check)
