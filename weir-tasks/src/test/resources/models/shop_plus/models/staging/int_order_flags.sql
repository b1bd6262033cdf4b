{{ config(materialized='ephemeral') }}

{%- set shipped = shipped_statuses() %}

select
    order_id,
    status in {{ in_list(shipped) }} as is_shipped,
    amount > {{ var('big_order', 100) }} as is_big
from {{ ref('stg_shop_orders') }}
