


select
    c.customer_id,
    c.customer_name,
    "country".name as country,
    'EMEA' as region,
    'dev' as built_for,
    count(o.order_id) as orders
from "main"."stg_shop_customers" as c
left join "main"."country_codes" as "country"
    on "country".code = c.country_code
left join "main_marts"."fct_orders" as o
    on o.customer_id = c.customer_id
group by c.customer_id, c.customer_name, "country".name
