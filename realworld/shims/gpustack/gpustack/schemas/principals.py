"""gpustack.schemas.principals: the constants and the enum 7c5e3f9a2d18 names, as gpustack defines them."""
from enum import Enum


class AuthProviderEnum(str, Enum):
    Local = "Local"
    OIDC = "OIDC"
    SAML = "SAML"
    CAS = "CAS"


PLATFORM_PRINCIPAL_NAME = "default"
AUTHENTICATED_PRINCIPAL_NAME = "system/authenticated"
AUTHENTICATED_PRINCIPAL_DISPLAY_NAME = "All Authenticated Users"
