{{ config(alias='customers', tags='pii') }}
{# the region comes from the environment, as in a deployment #}
{%- set region = env_var('WEIR_TEST_REGION', 'global') | upper %}

select
    c.customer_id,
    c.customer_name,
    {{ adapter.quote('country') }}.name as country,
    '{{ region }}' as region,
    '{{ target.name }}' as built_for,
    count(o.order_id) as orders
from {{ ref('stg_shop_customers') }} as c
left join {{ ref('country_codes') }} as {{ adapter.quote('country') }}
    on {{ adapter.quote('country') }}.code = c.country_code
left join {{ ref('fct_orders') }} as o
    on o.customer_id = c.customer_id
group by c.customer_id, c.customer_name, {{ adapter.quote('country') }}.name
