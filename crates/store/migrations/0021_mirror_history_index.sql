-- The region's history lines of one application, found without reading every line the
-- scope holds: «Өтініш қозғалысының тарихы» shows them beside the desk's own.
CREATE INDEX mirror_history_application ON mirror (json_extract(body, '$.application')) WHERE entity = 'history';
