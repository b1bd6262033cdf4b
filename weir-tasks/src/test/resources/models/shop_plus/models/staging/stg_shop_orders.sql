{#- Orders from the shop's raw schema, in dollars, from the start date on. -#}
select
    id as order_id,
    customer_id,
    {{ cents_to_dollars('amount_cents') }} as amount,
    {{ cents_to_dollars('tax_cents', scale=0) }} as tax,
    lower(status) as status,
    updated_at
from {{ source('shop', 'orders') }}
where ordered_at >= '{{ var("start_date") }}'
  and status not in {{ in_list(var('excluded_statuses')) }}
{%- if var('min_amount', none) is not none %}
  and amount_cents >= {{ var('min_amount') * 100 }}
{%- endif %}
