{{
    config(
        materialized='incremental',
        unique_key='order_id',
        tags=['finance']
    )
}}

with flags as (
    select * from {{ ref('int_order_flags') }}
)

select
    o.order_id,
    o.customer_id,
    o.amount,
    flags.is_shipped,
    flags.is_big,
    o.updated_at
from {{ ref('stg_shop_orders') }} as o
join flags using (order_id)
{% if is_incremental() %}
where o.updated_at > (select max(updated_at) from {{ this }})
{% endif %}
