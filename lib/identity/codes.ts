// The identity route's error contract (docs/reference.md): `code` is the contract, `message` is for humans.
export const ERROR_STATUS = {
  invalid_body: 400,
  token_malformed: 400,
  exp_missing: 400,
  uuid_missing: 400,
  unknown_kid: 401,
  key_expired: 401,
  alg_not_allowed: 401,
  alg_mismatch: 401,
  bad_signature: 401,
  iss_mismatch: 401,
  aud_mismatch: 401,
  exp_too_soon: 401,
  nbf_in_future: 401,
  iat_in_future: 401,
  token_lifetime_too_long: 401,
  token_revoked: 401,
  signed_identity_rejected: 403,
  signed_identity_required: 403,
  verified_identity_locked: 403,
  origin_not_allowed: 403,
  community_not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  keyset_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_MESSAGE: Record<ErrorCode, string> = {
  invalid_body: "The request body is not a valid identity request.",
  token_malformed: "The signed identity is not a well-formed JWT.",
  exp_missing: "The signed identity has no integer exp claim.",
  uuid_missing: "The signed identity has no uuid.",
  unknown_kid: "The signed identity names a key this community does not have.",
  key_expired: "The signed identity names a key that has expired.",
  alg_not_allowed: "The signed identity uses an algorithm that is not allowed (HS256, RS256, ES256 or EdDSA only).",
  alg_mismatch: "The signed identity's algorithm does not match its key.",
  bad_signature: "The signed identity's signature does not verify.",
  exp_too_soon:
    "The signed identity expires in less than one hour, or has expired. Your session has expired. Please refresh the page.",
  nbf_in_future: "The signed identity is not valid yet (nbf).",
  iss_mismatch: "The signed identity was issued by someone this community does not expect (iss).",
  aud_mismatch: "The signed identity was made for another audience (aud).",
  iat_in_future: "The signed identity says it was issued in the future (iat).",
  token_lifetime_too_long: "The signed identity lives longer than this community allows (exp − iat).",
  token_revoked:
    "The signed identity was revoked: tokens issued before the visitor was signed out are refused. Get a new token.",
  signed_identity_rejected: "This community does not accept signed identities.",
  signed_identity_required: "This community only accepts signed identities.",
  verified_identity_locked: "This identity was established by a signed token and cannot be changed by unsigned data.",
  origin_not_allowed: "This origin may not call the identity route of this community.",
  community_not_found: "There is no community with this identifier.",
  payload_too_large: "The request body is larger than 64 KiB.",
  unsupported_media_type: "Send the request as Content-Type: application/json.",
  rate_limited: "Too many requests: retry after the number of seconds in Retry-After.",
  unavailable: "The identity service is temporarily unavailable. Retry later.",
  keyset_unavailable: "The community's published keyset cannot be fetched right now. Retry later.",
};

export interface IdentityError {
  code: ErrorCode;
  /** For the caller: the generic message, or a more precise one that reveals nothing secret. */
  message: string;
  /** For the community's verification log only. */
  detail?: string;
}

export const identityError = (
  code: ErrorCode,
  message: string = ERROR_MESSAGE[code],
  detail?: string,
): IdentityError => ({
  code,
  message,
  detail,
});
