-- The schema every migration under versions/ makes on an empty SQLite database, as SQLite stores it
-- (sqlite_master, in order), and the revision it is at. monitor.store.db creates a new SQLite store
-- from it without Alembic; tests/store/test_fresh_schema.py checks it against the migrations and
-- rewrites it when run as a script.

CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

CREATE TABLE captures (
	id INTEGER NOT NULL, 
	operator_id VARCHAR(64) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	size INTEGER NOT NULL, 
	media_type VARCHAR NOT NULL, 
	content_type VARCHAR, 
	charset VARCHAR, 
	url TEXT NOT NULL, 
	etag VARCHAR, 
	last_modified VARCHAR, 
	captured_at DATETIME NOT NULL, 
	origin VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (operator_id, sha256), 
	FOREIGN KEY(operator_id) REFERENCES operators (id)
);

CREATE INDEX ix_captures_operator_id ON captures (operator_id);

CREATE TABLE clauses (
	id INTEGER NOT NULL, 
	version_id INTEGER NOT NULL, 
	idx INTEGER NOT NULL, 
	level INTEGER NOT NULL, 
	path TEXT NOT NULL, 
	heading TEXT, 
	text TEXT NOT NULL, 
	norm_sha256 VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(version_id) REFERENCES versions (id) ON DELETE CASCADE
);

CREATE INDEX ix_clauses_version_id ON clauses (version_id);

CREATE TABLE comparisons (
	id INTEGER NOT NULL, 
	operator_id VARCHAR(64) NOT NULL, 
	from_version_id INTEGER NOT NULL, 
	to_version_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	origin VARCHAR NOT NULL, 
	material BOOLEAN NOT NULL, 
	categories JSON NOT NULL, 
	summary JSON NOT NULL, 
	result JSON NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(operator_id) REFERENCES operators (id), 
	FOREIGN KEY(from_version_id) REFERENCES versions (id) ON DELETE CASCADE, 
	FOREIGN KEY(to_version_id) REFERENCES versions (id) ON DELETE CASCADE
);

CREATE INDEX ix_comparisons_operator_id ON comparisons (operator_id);

CREATE TABLE checks (
	id INTEGER NOT NULL, 
	operator_id VARCHAR(64) NOT NULL, 
	"trigger" VARCHAR NOT NULL, 
	started_at DATETIME NOT NULL, 
	observed_at DATETIME NOT NULL, 
	elapsed FLOAT NOT NULL, 
	outcome VARCHAR NOT NULL, 
	reason TEXT, 
	http_status INTEGER, 
	url TEXT, 
	attempts INTEGER NOT NULL, 
	capture_id INTEGER, 
	version_id INTEGER, 
	comparison_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(operator_id) REFERENCES operators (id), 
	FOREIGN KEY(capture_id) REFERENCES captures (id) ON DELETE SET NULL, 
	FOREIGN KEY(version_id) REFERENCES versions (id) ON DELETE SET NULL, 
	FOREIGN KEY(comparison_id) REFERENCES comparisons (id) ON DELETE SET NULL
);

CREATE INDEX ix_checks_operator_id ON checks (operator_id);

CREATE TABLE version_texts (
	version_id INTEGER NOT NULL, 
	text TEXT NOT NULL, 
	PRIMARY KEY (version_id), 
	FOREIGN KEY(version_id) REFERENCES versions (id) ON DELETE CASCADE
);

CREATE TABLE "versions" (
	id INTEGER NOT NULL, 
	operator_id VARCHAR(64) NOT NULL, 
	sha256 VARCHAR(64) NOT NULL, 
	first_seen DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	title TEXT, 
	policy_operator TEXT, 
	updated VARCHAR, 
	effective VARCHAR, 
	encoding VARCHAR NOT NULL, 
	media_type VARCHAR NOT NULL, 
	html_title TEXT, 
	characters INTEGER NOT NULL, 
	clauses INTEGER NOT NULL, 
	capture_id INTEGER, 
	extractor VARCHAR NOT NULL, 
	origin VARCHAR NOT NULL, 
	source TEXT NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(operator_id) REFERENCES operators (id), 
	FOREIGN KEY(capture_id) REFERENCES captures (id), 
	UNIQUE (operator_id, sha256)
);

CREATE INDEX ix_versions_operator_id ON versions (operator_id);

CREATE TABLE "operators" (
	id VARCHAR(64) NOT NULL, 
	name VARCHAR NOT NULL, 
	url TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	current_version_id INTEGER, 
	etag VARCHAR, 
	last_modified VARCHAR, 
	capture_sha256 VARCHAR(64), 
	last_check_at DATETIME, 
	last_outcome VARCHAR, 
	last_reason TEXT, 
	failures INTEGER NOT NULL, 
	next_due_at DATETIME, 
	lease_owner VARCHAR, 
	lease_expires_at DATETIME, 
	failure_alerted BOOLEAN DEFAULT 0 NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_operators_next_due_at ON operators (next_due_at);

CREATE TABLE alerts (
	id VARCHAR(36) NOT NULL, 
	channel VARCHAR(64) NOT NULL, 
	operator_id VARCHAR(64) NOT NULL, 
	event VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	status VARCHAR NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	last_error TEXT, 
	delivered_at DATETIME, 
	lease_owner VARCHAR, 
	lease_expires_at DATETIME, 
	check_id INTEGER, 
	payload JSON NOT NULL, 
	PRIMARY KEY (id, channel), 
	FOREIGN KEY(operator_id) REFERENCES operators (id), 
	FOREIGN KEY(check_id) REFERENCES checks (id) ON DELETE SET NULL
);

CREATE INDEX ix_alerts_operator_id ON alerts (operator_id);

CREATE INDEX ix_alerts_status ON alerts (status);

CREATE TABLE workers (
	id VARCHAR NOT NULL, 
	host VARCHAR NOT NULL, 
	pid INTEGER NOT NULL, 
	started_at DATETIME NOT NULL, 
	heartbeat_at DATETIME NOT NULL, 
	stopped_at DATETIME, 
	checks INTEGER NOT NULL, 
	in_flight INTEGER NOT NULL, 
	lease FLOAT NOT NULL, 
	version VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_comparisons_material_created_at ON comparisons (material, created_at);

CREATE INDEX ix_comparisons_operator_material_created_at ON comparisons (operator_id, material, created_at);

CREATE INDEX ix_comparisons_to_version_id ON comparisons (to_version_id);

INSERT INTO alembic_version (version_num) VALUES ('0006');
