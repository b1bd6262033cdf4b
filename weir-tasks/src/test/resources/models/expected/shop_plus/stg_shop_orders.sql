select
    id as order_id,
    customer_id,
    round(amount_cents / 100.0, 2) as amount,
    round(tax_cents / 100.0, 0) as tax,
    lower(status) as status,
    updated_at
from "raw"."shop_orders"
where ordered_at >= '2024-01-01'
  and status not in ('cancelled', 'test')
