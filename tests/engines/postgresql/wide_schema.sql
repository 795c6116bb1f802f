-- A database with a wide schema, for the postgresql engine's end-to-end tests: as many kinds
-- of object as a real application database has, a few thousand rows, non-ASCII text and
-- identifiers. Every value is computed, nothing is random, so two loads hold the same rows
-- (large objects included: their oids are given). Needs the roles of wide_roles.sql and the contrib extensions
-- pgcrypto and hstore. Run it as a superuser into an empty database:
--   psql -X -v ON_ERROR_STOP=1 -d <database> -f wide_schema.sql
-- The inventory schema depends on nothing outside itself, so it can be restored alone.
SET client_min_messages = warning;

-- Extensions from contrib, both used by columns and data below.
CREATE EXTENSION pgcrypto WITH SCHEMA public;
CREATE EXTENSION hstore WITH SCHEMA public;

-- Types: an enum, domains with CHECK constraints, a composite type, a range type.
CREATE TYPE public.order_status AS ENUM ('new', 'paid', 'shipped', 'returned', 'cancelled');
COMMENT ON TYPE public.order_status IS 'The life of an order, from new to shipped (or not)';
CREATE DOMAIN public.positive_money AS numeric(12, 2) CONSTRAINT positive_money_not_negative CHECK (VALUE >= 0);
CREATE DOMAIN public.email_address AS text
    CONSTRAINT email_address_shape CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+$');
CREATE DOMAIN public.percentage AS smallint DEFAULT 0 CHECK (VALUE BETWEEN 0 AND 100);
COMMENT ON DOMAIN public.percentage IS 'A whole percentage, 0 to 100';
CREATE TYPE public.postal_address AS (street text, city text, postcode text, country character(2));
CREATE TYPE public.money_range AS RANGE (subtype = numeric);

-- Customers: identity, generated column, arrays, hstore, jsonb, pgcrypto output, composite.
CREATE TABLE public.customers (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 3) PRIMARY KEY,
    name text NOT NULL,
    email public.email_address NOT NULL UNIQUE,
    address public.postal_address,
    tags text[] NOT NULL DEFAULT '{}',
    attributes public.hstore,
    profile jsonb NOT NULL DEFAULT '{}',
    password_hash text,
    fingerprint bytea,
    discount public.percentage,
    name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
    created_at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00'
);
COMMENT ON TABLE public.customers IS 'Clients : données personnelles, 顧客, 👤';
COMMENT ON COLUMN public.customers.attributes IS 'free-form key/value pairs (hstore)';
COMMENT ON COLUMN public.customers.password_hash IS 'crypt() from pgcrypto';
CREATE INDEX customers_attributes_idx ON public.customers USING gin (attributes);
CREATE INDEX customers_profile_idx ON public.customers USING gin (profile jsonb_path_ops);
CREATE INDEX customers_tags_idx ON public.customers USING gin (tags);

INSERT INTO public.customers (name, email, address, tags, attributes, profile, password_hash, fingerprint, discount,
                              created_at)
SELECT CASE i % 4
           WHEN 0 THEN 'Zoë Dupré ' || i
           WHEN 1 THEN '李小龙 ' || i
           WHEN 2 THEN 'Customer 🦊 ' || i
           ELSE 'Plain customer ' || i
       END,
       'customer' || i || '@example.org',
       ROW('Rue de l''Église ' || i, CASE WHEN i % 2 = 0 THEN 'Besançon' ELSE '北京' END,
           lpad((i * 37 % 100000)::text, 5, '0'), CASE WHEN i % 2 = 0 THEN 'FR' ELSE 'CN' END)::public.postal_address,
       ARRAY['tier-' || (i % 3), CASE WHEN i % 5 = 0 THEN 'vip' ELSE 'regular' END],
       public.hstore(ARRAY['source', 'segment', 'ville'],
                     ARRAY[CASE WHEN i % 2 = 0 THEN 'web' ELSE 'store' END, 'seg' || (i % 7), 'Besançon']),
       jsonb_build_object('newsletter', i % 2 = 0, 'score', i * 1.5, 'languages', jsonb_build_array('fr', 'zh'),
                          'note', 'ça va? 好的 👍', 'nested', jsonb_build_object('level', i % 4, 'flags', '[]'::jsonb)),
       public.crypt('password ' || i, '$1$hfsalt$'),
       public.digest('customer ' || i, 'sha256'),
       (i % 101)::smallint,
       timestamptz '2023-01-01 00:00:00+00' + i * interval '7 hours'
FROM generate_series(1, 600) AS i;

-- Orders: partitioned by range (two years and a default partition, rows in each), an
-- enum, a domain, a stored generated column, a range, a foreign key.
CREATE SEQUENCE public.order_numbers AS bigint START WITH 5000 INCREMENT BY 1;
CREATE TABLE public.orders (
    id bigint NOT NULL DEFAULT nextval('public.order_numbers'),
    customer_id bigint NOT NULL REFERENCES public.customers (id),
    ordered_on date NOT NULL,
    status public.order_status NOT NULL DEFAULT 'new',
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price public.positive_money NOT NULL,
    total numeric(14, 2) GENERATED ALWAYS AS (quantity * unit_price) STORED,
    price_band public.money_range,
    note text,
    PRIMARY KEY (id, ordered_on)
) PARTITION BY RANGE (ordered_on);
ALTER SEQUENCE public.order_numbers OWNED BY public.orders.id;
CREATE TABLE public.orders_2023 PARTITION OF public.orders FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.orders_2024 PARTITION OF public.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.orders_later PARTITION OF public.orders DEFAULT;
CREATE INDEX orders_customer_idx ON public.orders (customer_id, ordered_on);
CREATE INDEX orders_open_idx ON public.orders (ordered_on) WHERE status IN ('new', 'paid');
COMMENT ON TABLE public.orders IS 'Orders, partitioned by year';

INSERT INTO public.orders (customer_id, ordered_on, status, quantity, unit_price, price_band, note)
SELECT 100 + 3 * (i % 600),
       date '2023-01-01' + (i % 900),
       (ARRAY['new', 'paid', 'shipped', 'returned', 'cancelled']::public.order_status[])[1 + i % 5],
       1 + i % 9,
       ((i % 97) + 0.99)::numeric(12, 2),
       public.money_range(0, (i % 97) + 1),
       CASE i % 4 WHEN 0 THEN 'Livré à Zürich' WHEN 1 THEN '已发货' WHEN 2 THEN '📦 shipped' END
FROM generate_series(1, 3000) AS i;

-- A sequence with everything non-default: step 7, bounds, cycling, a large current value.
CREATE SEQUENCE public.invoice_numbers AS bigint
    INCREMENT BY 7 MINVALUE 1000 MAXVALUE 9000000000000000000 START WITH 1000 CACHE 1 CYCLE;
CREATE TABLE public.invoices (
    number bigint PRIMARY KEY DEFAULT nextval('public.invoice_numbers'),
    order_id bigint NOT NULL,
    ordered_on date NOT NULL,
    amount numeric(14, 2) NOT NULL,
    paid boolean NOT NULL DEFAULT false,
    FOREIGN KEY (order_id, ordered_on) REFERENCES public.orders (id, ordered_on)
);
ALTER SEQUENCE public.invoice_numbers OWNED BY public.invoices.number;
INSERT INTO public.invoices (order_id, ordered_on, amount, paid)
SELECT id, ordered_on, total, id % 3 = 0 FROM public.orders WHERE id % 6 = 0 ORDER BY id;
DO $$ BEGIN PERFORM setval('public.invoice_numbers', 8999999999999990000, true); END $$;

-- A descending sequence, used a few times.
CREATE SEQUENCE public.countdown AS integer INCREMENT BY -3 MINVALUE -1000 MAXVALUE 100 START WITH 100 NO CYCLE;
DO $$ BEGIN PERFORM nextval('public.countdown') FROM generate_series(1, 5); END $$;

-- Row-level security with policies for two roles.
CREATE TABLE public.documents (
    id integer PRIMARY KEY,
    title text NOT NULL,
    classification text NOT NULL CHECK (classification IN ('public', 'internal', 'secret')),
    owner_role name NOT NULL DEFAULT current_user,
    revision integer NOT NULL DEFAULT 1,
    body text
);
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.documents FORCE ROW LEVEL SECURITY;
CREATE POLICY documents_readable ON public.documents FOR SELECT TO hf_reader USING (classification <> 'secret');
CREATE POLICY documents_own ON public.documents FOR ALL TO hf_writer
    USING (owner_role = current_user) WITH CHECK (owner_role = current_user);
INSERT INTO public.documents (id, title, classification, owner_role, body)
SELECT i, 'Document n°' || i || ' — 文件',
       (ARRAY['public', 'internal', 'secret'])[1 + i % 3],
       CASE WHEN i % 2 = 0 THEN 'hf_writer' ELSE 'postgres' END,
       repeat('Lorem ipsum dolor sit amet, 中文 🐘 ', 1 + i % 20)
FROM generate_series(1, 60) AS i;

-- plpgsql: a trigger function and its trigger, a function with OUT parameters, a procedure;
-- and an SQL function.
CREATE FUNCTION public.bump_document_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER documents_revision BEFORE UPDATE ON public.documents
    FOR EACH ROW EXECUTE FUNCTION public.bump_document_revision();
CREATE FUNCTION public.order_summary(p_customer bigint, OUT orders bigint, OUT spent numeric)
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    SELECT count(*), coalesce(sum(o.total), 0) INTO orders, spent FROM public.orders o WHERE o.customer_id = p_customer;
END
$$;
COMMENT ON FUNCTION public.order_summary(bigint) IS 'How many orders a customer placed, and for how much';
CREATE FUNCTION public.customer_label(customer_id bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT c.name || ' <' || c.email || '>' FROM public.customers c WHERE c.id = customer_id
$$;
CREATE PROCEDURE public.mark_paid(p_invoice bigint) LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public.invoices SET paid = true WHERE number = p_invoice;
END
$$;

-- Views: a plain one (security barrier) and a materialized one with a unique index.
CREATE VIEW public.customer_totals WITH (security_barrier) AS
    SELECT c.id, c.name, count(o.*) AS orders, coalesce(sum(o.total), 0) AS spent
    FROM public.customers c LEFT JOIN public.orders o ON o.customer_id = c.id
    GROUP BY c.id, c.name;
COMMENT ON VIEW public.customer_totals IS 'Orders and spending per customer';
CREATE MATERIALIZED VIEW public.monthly_revenue AS
    SELECT date_trunc('month', ordered_on)::date AS month, status, count(*) AS orders, sum(total) AS revenue
    FROM public.orders GROUP BY 1, 2
    WITH DATA;
CREATE UNIQUE INDEX monthly_revenue_key ON public.monthly_revenue (month, status);

-- Non-ASCII identifiers (table and columns), owned by another role.
CREATE TABLE public."café_commandes" (
    "numéro" integer PRIMARY KEY,
    "品名" text NOT NULL,
    "prix_€" numeric(8, 2),
    "humeur_😀" text
);
COMMENT ON COLUMN public."café_commandes"."品名" IS 'nom du produit';
INSERT INTO public."café_commandes"
SELECT i, (ARRAY['Café crème', '抹茶拿铁', 'Chocolat chaud ☕', 'Thé à la menthe'])[1 + i % 4], 2.5 + (i % 7) * 0.4,
       (ARRAY['😀', '😐', '🤩', NULL])[1 + i % 4]
FROM generate_series(1, 40) AS i;
ALTER TABLE public."café_commandes" OWNER TO hf_owner;

-- Large objects (text, zeros, binary), an owner, a grant, a comment.
CREATE TABLE public.attachments (
    id integer PRIMARY KEY,
    file_name text NOT NULL,
    content oid NOT NULL,
    sha256 bytea
);
INSERT INTO public.attachments (id, file_name, content) VALUES
    (1, 'lisez-moi.txt', lo_from_bytea(424242, convert_to(repeat('holdfast large object é 中文 🐘 ', 2000), 'UTF8'))),
    (2, 'zeros.bin', lo_from_bytea(424243, decode(repeat('00', 70000), 'hex'))),
    (3, 'digests.bin', lo_from_bytea(424244, (SELECT string_agg(public.digest(i::text, 'sha512'), ''::bytea ORDER BY i)
                                          FROM generate_series(1, 500) AS i)));
UPDATE public.attachments SET sha256 = public.digest(lo_get(content), 'sha256');
ALTER LARGE OBJECT 424242 OWNER TO hf_owner;
GRANT SELECT ON LARGE OBJECT 424242 TO hf_reader;
COMMENT ON LARGE OBJECT 424243 IS 'seventy thousand zero bytes';

-- A plain table with built-in types only: what a --table restore takes alone.
CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    logged_at timestamptz NOT NULL,
    actor text NOT NULL,
    message text
);
INSERT INTO public.audit_log
SELECT i, timestamptz '2024-03-01 12:00:00+00' + i * interval '13 minutes',
       (ARRAY['hf_writer', 'postgres', 'système', '管理员'])[1 + i % 4],
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'event ' || i || ': mise à jour ✔ 更新' END
FROM generate_series(1, 800) AS i;
ALTER TABLE public.audit_log ADD CONSTRAINT audit_log_actor_present CHECK (actor <> '') NOT VALID;

-- The inventory schema: owned by hf_owner, self-contained (its own enum, trigger function,
-- view and identity sequence).
CREATE SCHEMA inventory AUTHORIZATION hf_owner;
COMMENT ON SCHEMA inventory IS 'Stock, warehouses and movements — entrepôts, 仓库';
CREATE TYPE inventory.unit AS ENUM ('piece', 'kg', 'litre');
CREATE TABLE inventory.warehouses (
    id integer PRIMARY KEY,
    name text NOT NULL UNIQUE,
    city text NOT NULL,
    location point
);
ALTER TABLE inventory.warehouses OWNER TO hf_owner;
CREATE TABLE inventory.items (
    sku text PRIMARY KEY,
    description text NOT NULL,
    unit inventory.unit NOT NULL DEFAULT 'piece',
    dimensions_cm numeric[],
    revision integer NOT NULL DEFAULT 1,
    search_key text GENERATED ALWAYS AS (lower(sku || ' ' || description)) STORED
);
CREATE TABLE inventory.stock (
    warehouse_id integer NOT NULL REFERENCES inventory.warehouses (id),
    sku text NOT NULL REFERENCES inventory.items (sku) ON UPDATE CASCADE,
    quantity integer NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (warehouse_id, sku)
);
CREATE TABLE inventory.movements (
    id integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY 10) PRIMARY KEY,
    warehouse_id integer NOT NULL,
    sku text NOT NULL,
    delta integer NOT NULL,
    moved_at timestamp NOT NULL
);
CREATE FUNCTION inventory.bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER items_bump_revision BEFORE UPDATE ON inventory.items
    FOR EACH ROW WHEN (OLD.description IS DISTINCT FROM NEW.description OR OLD.unit IS DISTINCT FROM NEW.unit)
    EXECUTE FUNCTION inventory.bump_revision();
CREATE VIEW inventory.stock_levels AS
    SELECT w.name AS warehouse, i.sku, i.description, s.quantity
    FROM inventory.stock s
    JOIN inventory.warehouses w ON w.id = s.warehouse_id
    JOIN inventory.items i ON i.sku = s.sku;

INSERT INTO inventory.warehouses VALUES
    (1, 'Entrepôt Lyon', 'Lyon', point(45.76, 4.84)),
    (2, '倉庫 東京', '東京', point(35.68, 139.69)),
    (3, 'Depot 🚚 Nord', 'Lille', point(50.63, 3.06)),
    (4, 'Central', 'Kraków', NULL);
INSERT INTO inventory.items (sku, description, unit, dimensions_cm)
SELECT 'SKU-' || lpad(i::text, 5, '0'),
       (ARRAY['Chaise pliante', '茶杯', 'Câble USB ⚡', 'Farine de blé', 'Huile d''olive'])[1 + i % 5] || ' #' || i,
       (ARRAY['piece', 'kg', 'litre']::inventory.unit[])[1 + i % 3],
       CASE WHEN i % 3 = 0 THEN ARRAY[i % 50, (i * 7) % 50, 2.5]::numeric[] END
FROM generate_series(1, 400) AS i;
INSERT INTO inventory.stock
SELECT w, 'SKU-' || lpad(i::text, 5, '0'), (i * w * 13) % 500 FROM generate_series(1, 4) AS w, generate_series(1, 400) AS i;
INSERT INTO inventory.movements (warehouse_id, sku, delta, moved_at)
SELECT 1 + i % 4, 'SKU-' || lpad((1 + i % 400)::text, 5, '0'), (i % 41) - 20,
       timestamp '2024-06-01 08:00:00' + i * interval '17 minutes'
FROM generate_series(1, 1000) AS i;
UPDATE inventory.items SET description = description || ' (révisé)' WHERE sku <= 'SKU-00010';

-- Privileges for several roles: schema, tables, columns, sequences, functions, defaults.
GRANT USAGE ON SCHEMA inventory TO hf_reader, hf_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO hf_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA inventory TO hf_reader;
GRANT INSERT, UPDATE, DELETE ON public.orders, public.invoices, public.documents TO hf_writer;
GRANT SELECT (id, name, email), UPDATE (tags) ON public.customers TO hf_writer;
GRANT USAGE, SELECT ON SEQUENCE public.invoice_numbers, public.order_numbers TO hf_writer;
GRANT INSERT, UPDATE ON inventory.stock, inventory.movements TO hf_writer;
GRANT ALL ON TABLE inventory.stock TO hf_owner WITH GRANT OPTION;
REVOKE EXECUTE ON FUNCTION public.customer_label(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.customer_label(bigint) TO hf_writer;
GRANT EXECUTE ON FUNCTION public.order_summary(bigint) TO hf_reader;
GRANT EXECUTE ON PROCEDURE public.mark_paid(bigint) TO hf_writer;
ALTER DEFAULT PRIVILEGES FOR ROLE hf_owner IN SCHEMA inventory GRANT SELECT ON TABLES TO hf_reader;

ANALYZE;
