// A source's name is the last segment of its webhook URL: /api/webhooks/<name>.
export const SOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const SOURCE_NAME_RULE = "lowercase letters, digits, - and _ (starting with a letter or digit), at most 63 characters";
